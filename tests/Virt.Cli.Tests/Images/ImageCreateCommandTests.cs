using System.Text.Json.Nodes;

namespace Virt.Cli.Tests.Images;

/// <summary><c>image-create</c> makes images qemu-img accepts and prints qemu-img create's "Formatting" line for the same options.</summary>
[TestFixture]
public sealed class ImageCreateCommandTests : ImageFixture
{
    /// <summary>What <c>qemu-img create -f qcow2 ARGS</c> prints, made on a reference file and named as <paramref name="file"/>.</summary>
    private string QemuImgCreateLine(string file, params string[] args)
    {
        string reference = PathOf("ref-" + Path.GetFileName(file));
        string line = QemuImg(["create", "-f", "qcow2", .. args[..^1], reference, args[^1]]);
        File.Delete(reference);
        return line.Replace($"'{reference}'", $"'{file}'", StringComparison.Ordinal);
    }

    private static JsonNode InfoJson(string file) => JsonNode.Parse(QemuImg("info", "--output=json", file))!;

    private static void AssertQemuImgChecksClean(string file) =>
        Assert.That(QemuImg("check", file), Does.StartWith("No errors were found on the image.\n"));

    [Test]
    public void PlainImagePrintsQemuImgsLineAndPassesQemuImgCheck()
    {
        string file = PathOf("plain.qcow2");
        var result = Virt("image-create", file, "1G");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo(QemuImgCreateLine(file, "1G") + "\n"));
            Assert.That(result.Stderr, Is.Empty);
            Assert.That(result.ExitCode, Is.EqualTo(0));
            AssertQemuImgChecksClean(file);
            var info = InfoJson(file);
            Assert.That(info["virtual-size"]!.GetValue<long>(), Is.EqualTo(1L << 30));
            Assert.That(info["format-specific"]!["data"]!["compat"]!.GetValue<string>(), Is.EqualTo("1.1"));
            Assert.That(info["backing-filename"], Is.Null);
        });
    }

    [Test]
    public void ClusterSizeAndCompatAreAppliedAndPrintedLikeQemuImg()
    {
        string file = PathOf("v2.qcow2");
        var result = Virt("image-create", file, "1000", "--cluster-size", "4k", "--compat", "0.10");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo(QemuImgCreateLine(file, "-o", "cluster_size=4096,compat=0.10", "1000") + "\n"));
            AssertQemuImgChecksClean(file);
            var info = InfoJson(file);
            Assert.That(info["virtual-size"]!.GetValue<long>(), Is.EqualTo(1024), "rounded up to 512 like qemu-img");
            Assert.That(info["cluster-size"]!.GetValue<long>(), Is.EqualTo(4096));
            Assert.That(info["format-specific"]!["data"]!["compat"]!.GetValue<string>(), Is.EqualTo("0.10"));
        });
    }

    [Test]
    public void OverlayWithoutSizeTakesTheBackingSizeAndRecordsTheRelativeName()
    {
        Directory.CreateDirectory(PathOf("sub"));
        QemuImg("create", "-q", "-f", "qcow2", PathOf("base.qcow2"), "300M");
        string file = PathOf("sub/top.qcow2");
        var result = Virt("image-create", file, "--backing", "../base.qcow2", "--backing-format", "qcow2");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo(
                $"Formatting '{file}', fmt=qcow2 cluster_size=65536 extended_l2=off compression_type=zlib size=314572800 backing_file=../base.qcow2 backing_fmt=qcow2 lazy_refcounts=off refcount_bits=16\n\n"));
            Assert.That(result.ExitCode, Is.EqualTo(0));
            AssertQemuImgChecksClean(file);
            var info = InfoJson(file);
            Assert.That(info["virtual-size"]!.GetValue<long>(), Is.EqualTo(300L << 20));
            Assert.That(info["backing-filename"]!.GetValue<string>(), Is.EqualTo("../base.qcow2"));
            Assert.That(info["full-backing-filename"]!.GetValue<string>(), Is.EqualTo(PathOf("sub/../base.qcow2")));
            Assert.That(info["backing-filename-format"]!.GetValue<string>(), Is.EqualTo("qcow2"));
        });
    }

    [Test]
    public void OverlayWithSizeOnARawBackingFileEqualsQemuImgsLine()
    {
        File.WriteAllBytes(PathOf("base.img"), new byte[1 << 20]);
        string file = PathOf("top.qcow2");
        var result = Virt($"image-create {file} 2G --backing base.img --backing-format raw");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo(QemuImgCreateLine(file, "-b", "base.img", "-F", "raw", "2G") + "\n"));
            AssertQemuImgChecksClean(file);
            var info = InfoJson(file);
            Assert.That(info["virtual-size"]!.GetValue<long>(), Is.EqualTo(2L << 30));
            Assert.That(info["backing-filename"]!.GetValue<string>(), Is.EqualTo("base.img"));
            Assert.That(info["backing-filename-format"]!.GetValue<string>(), Is.EqualTo("raw"));
        });
    }

    [Test]
    public void QuietSuppressesTheFormattingLine()
    {
        string file = PathOf("quiet.qcow2");
        var result = VirtQuiet("image-create", file, "512M");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.Empty);
            Assert.That(result.ExitCode, Is.EqualTo(0));
            Assert.That(InfoJson(file)["virtual-size"]!.GetValue<long>(), Is.EqualTo(512L << 20));
        });
    }
}
