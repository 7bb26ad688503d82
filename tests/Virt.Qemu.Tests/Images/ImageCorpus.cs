using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// Images made by qemu-img, qemu-io, a running QEMU (HMP savevm) and by our own writer, in a temp dir.
/// Small sizes keep generation to a few seconds.
/// </summary>
internal sealed class ImageCorpus : IDisposable
{
    public const int ChainDepth = 10;

    public static readonly string[] SingleImages =
    [
        "v2-64k", "v3-512", "v3-4k", "v3-64k", "v3-2m", "lazy", "extl2", "zstd", "refcount1", "refcount64",
        "raw", "snapshots", "v2-snapshots", "vmstate-disk", "nvram-vars", "nvram-disk", "dirty", "corrupt",
        "datafile", "bitmaps", "backing-raw", "backing-missing", "chain-rel", "chain-abs",
        "native-512", "native-4k", "native-64k", "native-2m", "native-v2", "native-lazy-zstd-extl2",
        "native-refcount1", "native-refcount64", "native-overlay", "native-overlay-512",
    ];

    public static readonly string[] Chains = ["chain-rel", "chain-abs", "backing-raw", "native-overlay", "native-overlay-512", "vmstate-disk"];

    private readonly TempDir _dir = new("virt-corpus-");
    private readonly Dictionary<string, string> _paths = [];

    public string Root => _dir.Path;

    public string this[string name] => _paths[name];

    public static ImageCorpus Build()
    {
        var c = new ImageCorpus();
        try
        {
            c.Generate();
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    public void Dispose() => _dir.Dispose();

    private string Add(string name, string file)
    {
        string path = _dir[file];
        _paths[name] = path;
        return path;
    }

    private void Qcow2(string name, string options, string size = "1M")
    {
        string path = Add(name, name + ".qcow2");
        QemuImg("create", "-q", "-f", "qcow2", "-o", options, path, size);
    }

    private void Generate()
    {
        Qcow2("v2-64k", "compat=0.10");
        Qcow2("v3-512", "cluster_size=512");
        Qcow2("v3-4k", "cluster_size=4096");
        Qcow2("v3-64k", "cluster_size=65536", "1G");
        Qcow2("v3-2m", "cluster_size=2M", "16M");
        Qcow2("lazy", "lazy_refcounts=on");
        Qcow2("extl2", "extended_l2=on");
        Qcow2("zstd", "compression_type=zstd");
        Qcow2("refcount1", "refcount_bits=1");
        Qcow2("refcount64", "refcount_bits=64");

        string raw = Add("raw", "raw.img");
        QemuImg("create", "-q", "-f", "raw", raw, "1M");

        Qcow2("snapshots", "cluster_size=4096", "4M");
        Run("qemu-io", "-c", "write -P 0x11 0 64k", this["snapshots"]);
        QemuImg("snapshot", "-c", "first", this["snapshots"]);
        Run("qemu-io", "-c", "write -P 0x22 64k 64k", this["snapshots"]);
        QemuImg("snapshot", "-c", "second snapshot with a rather long name", this["snapshots"]);

        Qcow2("v2-snapshots", "compat=0.10");
        QemuImg("snapshot", "-c", "old", this["v2-snapshots"]);

        MakeVmStateDisk();
        MakeNvram();

        Qcow2("dirty", "lazy_refcounts=on");
        SetIncompatibleBit(this["dirty"], 0);
        Qcow2("corrupt", "compat=1.1");
        SetIncompatibleBit(this["corrupt"], 1);

        string data = _dir["datafile.data"];
        string df = Add("datafile", "datafile.qcow2");
        QemuImg("create", "-q", "-f", "qcow2", "-o", $"data_file={data},data_file_raw=on", df, "1M");

        Qcow2("bitmaps", "cluster_size=65536");
        QemuImg("bitmap", "--add", "-f", "qcow2", this["bitmaps"], "bm0");
        QemuImg("bitmap", "--add", "--granularity", "128k", "-f", "qcow2", this["bitmaps"], "second");

        string rawBase = _dir["raw-base.img"];
        QemuImg("create", "-q", "-f", "raw", rawBase, "2M");
        QemuImg("create", "-q", "-f", "qcow2", "-b", "raw-base.img", "-F", "raw", Add("backing-raw", "backing-raw.qcow2"));

        string gone = _dir["gone.qcow2"];
        QemuImg("create", "-q", "-f", "qcow2", gone, "1M");
        QemuImg("create", "-q", "-f", "qcow2", "-b", gone, "-F", "qcow2", Add("backing-missing", "backing-missing.qcow2"));
        File.Delete(gone);

        MakeChains();
        MakeNative();
    }

    private void MakeVmStateDisk()
    {
        string disk = _dir["vm-base.qcow2"];
        QemuImg("create", "-q", "-f", "qcow2", disk, "8M");
        string top = Add("vmstate-disk", "vmstate-disk.qcow2");
        QemuImg("create", "-q", "-f", "qcow2", "-b", "vm-base.qcow2", "-F", "qcow2", top);
        string blockdev = $$$"""{"driver":"qcow2","node-name":"disk0","file":{"driver":"file","filename":"{{{top}}}"}}""";
        Hmp(["-blockdev", blockdev, "-device", "virtio-blk-pci,drive=disk0"], "savevm live1", "savevm live2");
    }

    private void MakeNvram()
    {
        string code = File.Exists("/usr/share/OVMF/OVMF_CODE_4M.fd") ? "/usr/share/OVMF/OVMF_CODE_4M.fd" : "/usr/share/OVMF/OVMF_CODE.fd";
        string varsTemplate = code.Contains("_4M", StringComparison.Ordinal) ? "/usr/share/OVMF/OVMF_VARS_4M.fd" : "/usr/share/OVMF/OVMF_VARS.fd";
        string vars = Add("nvram-vars", "nvram-vars.qcow2");
        QemuImg("convert", "-q", "-f", "raw", "-O", "qcow2", varsTemplate, vars);
        string disk = Add("nvram-disk", "nvram-disk.qcow2");
        QemuImg("create", "-q", "-f", "qcow2", disk, "8M");
        Hmp(
        [
            "-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={code}",
            "-drive", $"if=pflash,format=qcow2,unit=1,file={vars}",
            "-blockdev", $$$"""{"driver":"qcow2","node-name":"disk0","file":{"driver":"file","filename":"{{{disk}}}"}}""",
            "-device", "virtio-blk-pci,drive=disk0",
        ], "savevm uefi1");
    }

    private void MakeChains()
    {
        // Relative names, with a hop through a subdirectory ("../") so QEMU's unnormalised joining shows.
        string rel = Path.Combine(Root, "rel");
        Directory.CreateDirectory(Path.Combine(rel, "sub"));
        QemuImg("create", "-q", "-f", "qcow2", Path.Combine(rel, "l0.qcow2"), "4M");
        string previous = "l0.qcow2";
        string previousDir = rel;
        for (int i = 1; i < ChainDepth; i++)
        {
            string dir = i % 3 == 0 ? Path.Combine(rel, "sub") : rel;
            string file = Path.Combine(dir, $"l{i}.qcow2");
            string name = dir == previousDir ? Path.GetFileName(previous) : dir.EndsWith("sub", StringComparison.Ordinal) ? "../" + Path.GetFileName(previous) : "sub/" + Path.GetFileName(previous);
            QemuImg("create", "-q", "-f", "qcow2", "-b", name, "-F", "qcow2", file);
            previous = file;
            previousDir = dir;
        }

        _paths["chain-rel"] = previous;

        string abs = Path.Combine(Root, "abs");
        Directory.CreateDirectory(abs);
        previous = Path.Combine(abs, "a0.qcow2");
        QemuImg("create", "-q", "-f", "qcow2", "-o", "compat=0.10", previous, "4M");
        for (int i = 1; i < ChainDepth; i++)
        {
            string file = Path.Combine(abs, $"a{i}.qcow2");
            QemuImg("create", "-q", "-f", "qcow2", "-b", previous, "-F", "qcow2", file);
            previous = file;
        }

        _paths["chain-abs"] = previous;
    }

    private void MakeNative()
    {
        QemuImage.Create(Add("native-512", "native-512.qcow2"), 1 << 20, new ImageCreateOptions { ClusterSize = 512 });
        QemuImage.Create(Add("native-4k", "native-4k.qcow2"), 1 << 20, new ImageCreateOptions { ClusterSize = 4096 });
        QemuImage.Create(Add("native-64k", "native-64k.qcow2"), 1L << 30);
        QemuImage.Create(Add("native-2m", "native-2m.qcow2"), 16 << 20, new ImageCreateOptions { ClusterSize = 2 << 20 });
        QemuImage.Create(Add("native-v2", "native-v2.qcow2"), 1 << 20, new ImageCreateOptions { Compat = "0.10" });
        QemuImage.Create(Add("native-lazy-zstd-extl2", "native-lze.qcow2"), 1 << 20,
            new ImageCreateOptions { LazyRefcounts = true, CompressionType = "zstd", ExtendedL2 = true });
        QemuImage.Create(Add("native-refcount1", "native-rc1.qcow2"), 1 << 20, new ImageCreateOptions { RefcountBits = 1 });
        QemuImage.Create(Add("native-refcount64", "native-rc64.qcow2"), 1 << 20, new ImageCreateOptions { RefcountBits = 64 });
        QemuImage.CreateOverlay(Add("native-overlay", "native-overlay.qcow2"), "native-64k.qcow2", "qcow2");
        QemuImage.CreateOverlay(Add("native-overlay-512", "native-overlay-512.qcow2"), "raw.img", "raw", new ImageCreateOptions { ClusterSize = 512 });
    }

    private static void SetIncompatibleBit(string path, int bit)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        byte[] b = new byte[8];
        fs.Position = 72;
        fs.ReadExactly(b);
        b[7 - (bit / 8)] |= (byte)(1 << (bit % 8));
        fs.Position = 72;
        fs.Write(b);
    }
}
