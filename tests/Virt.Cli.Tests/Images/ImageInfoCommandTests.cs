using System.Text.Json.Nodes;

namespace Virt.Cli.Tests.Images;

/// <summary><c>image-info</c> prints what <c>qemu-img info</c> prints for the same file and options, byte for byte.</summary>
[TestFixture]
public sealed class ImageInfoCommandTests : ImageFixture
{
    /// <summary>l0.qcow2 (with an internal snapshot) ← sub/l1.qcow2 (backing "../l0.qcow2") ← sub/l2.qcow2 (backing "l1.qcow2").</summary>
    private string MakeChain()
    {
        Directory.CreateDirectory(PathOf("sub"));
        QemuImg("create", "-q", "-f", "qcow2", PathOf("l0.qcow2"), "64M");
        QemuImg("snapshot", "-c", "s1", PathOf("l0.qcow2"));
        QemuImg("create", "-q", "-f", "qcow2", "-b", "../l0.qcow2", "-F", "qcow2", PathOf("sub/l1.qcow2"));
        QemuImg("create", "-q", "-f", "qcow2", "-b", "l1.qcow2", "-F", "qcow2", PathOf("sub/l2.qcow2"), "128M");
        return PathOf("sub/l2.qcow2");
    }

    [Test]
    public void TextEqualsQemuImgInfo()
    {
        string top = MakeChain();
        foreach (string file in new[] { top, PathOf("l0.qcow2") })
        {
            var result = VirtQuiet("image-info", file);
            Assert.Multiple(() =>
            {
                Assert.That(result.Stdout, Is.EqualTo(QemuImg("info", file)));
                Assert.That(result.Stderr, Is.Empty);
                Assert.That(result.ExitCode, Is.EqualTo(0));
            });
        }
    }

    [Test]
    public void JsonEqualsQemuImgInfoOutputJson()
    {
        string top = MakeChain();
        foreach (string file in new[] { top, PathOf("l0.qcow2") })
        {
            Assert.That(VirtQuiet("image-info", file, "--json").Stdout, Is.EqualTo(QemuImg("info", "--output=json", file)));
        }
    }

    [Test]
    public void BackingChainOfThreeWithRelativeNamesEqualsQemuImg()
    {
        string top = MakeChain();
        var text = VirtQuiet("image-info", top, "--backing-chain");
        var json = VirtQuiet("image-info", "--backing-chain", "--json", top);
        Assert.Multiple(() =>
        {
            Assert.That(text.Stdout, Is.EqualTo(QemuImg("info", "--backing-chain", top)));
            Assert.That(json.Stdout, Is.EqualTo(QemuImg("info", "--backing-chain", "--output=json", top)));
            Assert.That(JsonNode.Parse(json.Stdout)![1]!["full-backing-filename"]!.GetValue<string>(), Is.EqualTo(PathOf("sub/../l0.qcow2")),
                "relative backing names are joined without normalisation, as QEMU does");
        });
    }

    [Test]
    public void RawFileEqualsQemuImg()
    {
        File.WriteAllBytes(PathOf("disk.img"), new byte[3 * 512]);
        Assert.Multiple(() =>
        {
            Assert.That(VirtQuiet("image-info", PathOf("disk.img")).Stdout, Is.EqualTo(QemuImg("info", PathOf("disk.img"))));
            Assert.That(VirtQuiet("image-info", PathOf("disk.img"), "--json").Stdout, Is.EqualTo(QemuImg("info", "--output=json", PathOf("disk.img"))));
        });
    }

    [Test]
    public void WithoutQuietEachCommandIsFollowedByVirshsBlankLine()
    {
        string top = MakeChain();
        var result = Virt($"image-info {top}; image-info {top} --json");
        Assert.That(result.Stdout, Is.EqualTo(QemuImg("info", top) + "\n" + QemuImg("info", "--output=json", top) + "\n"));
    }
}
