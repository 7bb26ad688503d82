using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>Images written natively pass qemu-img check, open in QEMU and read through their backing files.</summary>
[TestFixture]
public sealed class ImageCreateTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    [TestCase(512, "1.1", 16, 1L << 20)]
    [TestCase(512, "1.1", 16, 8L << 30)]
    [TestCase(4096, "1.1", 16, 100L << 20)]
    [TestCase(65536, "1.1", 16, 1L << 40)]
    [TestCase(2 << 20, "1.1", 16, 1L << 30)]
    [TestCase(65536, "0.10", 16, 10L << 30)]
    [TestCase(512, "1.1", 1, 1L << 30)]
    [TestCase(4096, "1.1", 2, 1L << 30)]
    [TestCase(4096, "1.1", 4, 1L << 30)]
    [TestCase(4096, "1.1", 8, 1L << 30)]
    [TestCase(4096, "1.1", 32, 1L << 30)]
    [TestCase(512, "1.1", 64, 1L << 30)]
    public void CreatedImagePassesQemuImgCheck(int clusterSize, string compat, int refcountBits, long size)
    {
        string path = _dir["new.qcow2"];
        ImageInfo info = QemuImage.Create(path, size, new ImageCreateOptions { ClusterSize = clusterSize, Compat = compat, RefcountBits = refcountBits });
        Assert.Multiple(() =>
        {
            Assert.That(Check(path), Does.Contain("No errors were found on the image."));
            Assert.That(info.VirtualSize, Is.EqualTo(size));
            Assert.That(info.ClusterSize, Is.EqualTo(clusterSize));
            Assert.That(info.Qcow2!.Compat, Is.EqualTo(compat));
            Assert.That(info.Qcow2.RefcountBits, Is.EqualTo(refcountBits));
            Assert.That(Directory.GetFiles(_dir.Path), Is.EqualTo(new[] { path }), "no temporary file is left behind");
        });
    }

    [Test]
    public void CreatedImageTakesWritesAndStaysConsistent()
    {
        string path = _dir["rw.qcow2"];
        QemuImage.Create(path, 64L << 20, new ImageCreateOptions { ClusterSize = 512, LazyRefcounts = true, RefcountBits = 1 });
        Run("qemu-io", "-c", "write -P 0x5a 1M 3M", path);
        Assert.Multiple(() =>
        {
            Assert.That(Run("qemu-io", "-c", "read -P 0x5a 1M 3M", path), Does.Not.Contain("fail"));
            Assert.That(Check(path), Does.Contain("No errors were found on the image."));
        });
    }

    [Test]
    public void SizeIsRoundedUpToSectorsLikeQemuImg()
    {
        Assert.That(QemuImage.Create(_dir["odd.qcow2"], 1000).VirtualSize, Is.EqualTo(1024));
    }

    [TestCase("qcow2")]
    [TestCase("raw")]
    public void OverlayReadsThroughItsBackingFile(string baseFormat)
    {
        string basePath = _dir["base." + baseFormat];
        if (baseFormat == "qcow2")
        {
            QemuImage.Create(basePath, 16 << 20, new ImageCreateOptions { ClusterSize = 4096 });
        }
        else
        {
            QemuImg("create", "-q", "-f", "raw", basePath, "16M");
        }

        Run("qemu-io", "-f", baseFormat, "-c", "write -P 0xab 0 64k", basePath);
        string overlay = _dir["overlay.qcow2"];
        ImageInfo info = QemuImage.CreateOverlay(overlay, "base." + baseFormat, baseFormat);

        Assert.Multiple(() =>
        {
            Assert.That(info.BackingFilename, Is.EqualTo("base." + baseFormat));
            Assert.That(info.BackingFormat, Is.EqualTo(baseFormat));
            Assert.That(info.VirtualSize, Is.EqualTo(16 << 20));
            Assert.That(Check(overlay), Does.Contain("No errors were found on the image."));
            Assert.That(Run("qemu-io", "-c", "read -P 0xab 0 64k", overlay), Does.Contain("read 65536/65536 bytes at offset 0"));
            Assert.That(Run("qemu-io", "-c", "read -P 0 64k 64k", overlay), Does.Contain("read 65536/65536 bytes"));
        });
    }

    [Test]
    public void OverlayOpensInQemuAndReadsTheBackingData()
    {
        string basePath = _dir["base.qcow2"];
        QemuImage.Create(basePath, 8 << 20);
        Run("qemu-io", "-c", "write -P 0xab 0 64k", basePath);
        string overlay = _dir["top.qcow2"];
        QemuImage.CreateOverlay(overlay, basePath, "qcow2");
        string blockdev = $$$"""{"driver":"qcow2","node-name":"disk0","file":{"driver":"file","filename":"{{{overlay}}}"}}""";
        string output = Hmp(["-blockdev", blockdev, "-device", "virtio-blk-pci,drive=disk0,share-rw=on"],
            "qemu-io disk0 \"read -P 0xab 0 64k\"", "qemu-io disk0 \"write -P 0xcd 64k 64k\"");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("read 65536/65536 bytes at offset 0"));
            Assert.That(output, Does.Not.Contain("Pattern verification failed"));
            Assert.That(Run("qemu-io", "-c", "read -P 0xcd 64k 64k", overlay), Does.Contain("read 65536/65536 bytes"));
            Assert.That(Check(overlay), Does.Contain("No errors were found on the image."));
        });
    }

    [Test]
    public void RelativeBackingNameIsResolvedFromTheOverlaysDirectory()
    {
        Directory.CreateDirectory(_dir["sub"]);
        QemuImage.Create(_dir["base.qcow2"], 4 << 20);
        Run("qemu-io", "-c", "write -P 0xab 0 64k", _dir["base.qcow2"]);
        string overlay = Path.Combine(_dir["sub"], "top.qcow2");
        QemuImage.CreateOverlay(overlay, "../base.qcow2", "qcow2", new ImageCreateOptions { ClusterSize = 512 });
        Assert.Multiple(() =>
        {
            Assert.That(QemuImage.GetInfo(overlay).FullBackingFilename, Is.EqualTo(_dir["sub"] + "/../base.qcow2"));
            Assert.That(Run("qemu-io", "-c", "read -P 0xab 0 64k", overlay), Does.Contain("read 65536/65536 bytes"));
        });
    }

    [Test]
    public void ExistingFileIsNeverOverwrittenUnlessAsked()
    {
        string path = _dir["keep.qcow2"];
        File.WriteAllText(path, "precious");
        var ex = Assert.Throws<VirtException>(() => QemuImage.Create(path, 1 << 20));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo($"Requested operation is not valid: '{path}' already exists (set ImageCreateOptions.Overwrite to replace it)"));
            Assert.That(File.ReadAllText(path), Is.EqualTo("precious"));
            Assert.That(Directory.GetFiles(_dir.Path), Has.Length.EqualTo(1));
        });

        QemuImage.Create(path, 1 << 20, new ImageCreateOptions { Overwrite = true });
        Assert.That(QemuImage.GetInfo(path).Format, Is.EqualTo("qcow2"));
    }

    [Test]
    public void ExistingOverlayTargetNamesTheOptionThatAllowsOverwriting()
    {
        QemuImage.Create(_dir["base.qcow2"], 1 << 20);
        File.WriteAllText(_dir["top.qcow2"], "precious");
        var ex = Assert.Throws<VirtException>(() => QemuImage.CreateOverlay(_dir["top.qcow2"], "base.qcow2", "qcow2"));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo($"Requested operation is not valid: '{_dir["top.qcow2"]}' already exists (set ImageCreateOptions.Overwrite to replace it)"));
            Assert.That(File.ReadAllText(_dir["top.qcow2"]), Is.EqualTo("precious"));
        });
    }

    [TestCase(1000, "invalid argument: cluster size 1000 is invalid: it must be a power of two between 512 and 2097152 (2 MiB)")]
    [TestCase(256, "invalid argument: cluster size 256 is invalid: it must be a power of two between 512 and 2097152 (2 MiB)")]
    [TestCase(4 << 20, "invalid argument: cluster size 4194304 is invalid: it must be a power of two between 512 and 2097152 (2 MiB)")]
    public void InvalidClusterSizeIsRefused(int clusterSize, string message)
    {
        var ex = Assert.Throws<VirtException>(() => QemuImage.Create(_dir["x.qcow2"], 1 << 20, new ImageCreateOptions { ClusterSize = clusterSize }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Is.EqualTo(message));
            Assert.That(File.Exists(_dir["x.qcow2"]), Is.False);
        });
    }

    [Test]
    public void OptionCombinationsQemuRefusesAreRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => QemuImage.Create(_dir["a"], 1 << 20, new ImageCreateOptions { ExtendedL2 = true, ClusterSize = 4096 }),
                Throws.TypeOf<VirtException>().With.Message.EqualTo("invalid argument: extended L2 entries need a cluster size of at least 16384 bytes"));
            Assert.That(() => QemuImage.Create(_dir["b"], 1 << 20, new ImageCreateOptions { Compat = "0.10", LazyRefcounts = true }),
                Throws.TypeOf<VirtException>().With.Message.EqualTo("invalid argument: lazy refcounts, extended L2, zstd compression and refcount widths other than 16 need compat 1.1"));
            Assert.That(() => QemuImage.Create(_dir["c"], 1L << 50, new ImageCreateOptions { ClusterSize = 512 }),
                Throws.TypeOf<VirtException>().With.Message.EqualTo("invalid argument: image size 1125899906842624 is too large for cluster size 512; use a larger cluster size"));
            Assert.That(() => QemuImage.Create(_dir["d"], 1 << 20, new ImageCreateOptions { RefcountBits = 3 }),
                Throws.TypeOf<VirtException>().With.Message.EqualTo("invalid argument: refcount bits 3 is invalid: it must be a power of two from 1 to 64"));
            Assert.That(Directory.GetFiles(_dir.Path), Is.Empty);
        });
    }

    [Test]
    public void OverlayOnAMissingBackingFileIsRefused()
    {
        var ex = Assert.Throws<VirtException>(() => QemuImage.CreateOverlay(_dir["top.qcow2"], "nothere.qcow2", "qcow2"));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OpenFailed));
            Assert.That(ex.Message, Is.EqualTo($"failed to open file: backing file 'nothere.qcow2' does not exist (looked for '{_dir["nothere.qcow2"]}', relative to the overlay's directory)"));
            Assert.That(File.Exists(_dir["top.qcow2"]), Is.False);
        });
    }

    [Test]
    public void OverlayOnAFileThatIsNotInTheClaimedFormatIsRefused()
    {
        File.WriteAllBytes(_dir["disk.img"], new byte[1 << 20]);
        var ex = Assert.Throws<VirtException>(() => QemuImage.CreateOverlay(_dir["top.qcow2"], "disk.img", "qcow2"));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ReadFailed));
            Assert.That(ex.Message, Is.EqualTo($"failed to read file: '{_dir["disk.img"]}' is not a valid qcow2 image: the file does not start with the qcow2 magic 'QFI\\xfb'"));
        });
    }

    [Test]
    public void BackingNameThatQemuWouldReadAsAProtocolIsRefused()
    {
        var ex = Assert.Throws<VirtException>(() => QemuImage.CreateOverlay(_dir["top.qcow2"], "nbd:localhost:10809", "raw"));
        Assert.That(ex!.Message, Is.EqualTo("invalid argument: backing file name 'nbd:localhost:10809' would be read by QEMU as a protocol; prefix it with ./"));
    }

    [Test]
    public void CreatedImageMatchesWhatQemuImgCreatesField()
    {
        QemuImage.Create(_dir["ours.qcow2"], 1L << 30);
        QemuImg("create", "-q", "-f", "qcow2", _dir["theirs.qcow2"], "1G");
        ImageInfo ours = QemuImage.GetInfo(_dir["ours.qcow2"]);
        ImageInfo theirs = QemuImage.GetInfo(_dir["theirs.qcow2"]);
        Assert.Multiple(() =>
        {
            Assert.That(ours.Qcow2!.L1Size, Is.EqualTo(theirs.Qcow2!.L1Size));
            Assert.That(ours.Qcow2.HeaderLength, Is.EqualTo(theirs.Qcow2.HeaderLength));
            Assert.That(ours.Qcow2.FeatureNames.Select(f => (f.Kind, f.Bit, f.Name)), Is.EqualTo(theirs.Qcow2.FeatureNames.Select(f => (f.Kind, f.Bit, f.Name))));
            Assert.That(Run("qemu-img", "compare", "-q", _dir["ours.qcow2"], _dir["theirs.qcow2"]), Is.Empty);
        });
    }

    [Test]
    public void ConcurrentCreatorsOfOneNameGetExactlyOneImage()
    {
        string path = _dir["race.qcow2"];
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, i =>
        {
            try
            {
                QemuImage.Create(path, (i + 1) << 20);
                outcomes.Add("created");
            }
            catch (VirtException ex) when (ex.Code == VirtErrorCode.OperationInvalid)
            {
                outcomes.Add("exists");
            }
        });
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Count(o => o == "created"), Is.EqualTo(1));
            Assert.That(outcomes.Count(o => o == "exists"), Is.EqualTo(7));
            Assert.That(Check(path), Does.Contain("No errors were found"));
            Assert.That(Directory.GetFiles(_dir.Path), Is.EqualTo(new[] { path }));
        });
    }
}
