using System.Text.Json.Nodes;

namespace Virt.Cli.Tests.Images;

/// <summary><c>image-snapshots</c>: <c>qemu-img snapshot -l</c>'s table, and as JSON the objects of <c>qemu-img info</c>'s "snapshots" array.</summary>
[TestFixture]
public sealed class ImageSnapshotsCommandTests : ImageFixture
{
    private string ImageWithSnapshots()
    {
        string file = PathOf("disk.qcow2");
        QemuImg("create", "-q", "-f", "qcow2", file, "16M");
        QemuImg("snapshot", "-c", "s1", file);
        QemuImg("snapshot", "-c", "second snapshot", file);
        return file;
    }

    [Test]
    public void TextEqualsQemuImgSnapshotList()
    {
        string file = ImageWithSnapshots();
        var result = VirtQuiet("image-snapshots", file);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo(QemuImg("snapshot", "-l", file)));
            Assert.That(result.Stdout, Does.StartWith("Snapshot list:\nID        TAG"));
            Assert.That(result.ExitCode, Is.EqualTo(0));
        });
    }

    [Test]
    public void JsonIsQemuImgInfosSnapshotsArray()
    {
        string file = ImageWithSnapshots();
        var result = VirtQuiet("image-snapshots", file, "--json");
        var expected = JsonNode.Parse(QemuImg("info", "--output=json", file))!["snapshots"];
        var actual = JsonNode.Parse(result.Stdout)!;
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, result.Stdout);
            Assert.That(actual.AsArray().Select(s => s!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "s1", "second snapshot" }));
        });
    }

    [Test]
    public void ImageWithoutSnapshotsPrintsNothingLikeQemuImgAndAnEmptyJsonList()
    {
        string file = PathOf("empty.qcow2");
        QemuImg("create", "-q", "-f", "qcow2", file, "1M");
        Assert.Multiple(() =>
        {
            Assert.That(VirtQuiet("image-snapshots", file).Stdout, Is.EqualTo(QemuImg("snapshot", "-l", file)).And.Empty);
            Assert.That(VirtQuiet("image-snapshots", file, "--json").Stdout, Is.EqualTo("[]\n"));
        });
    }

    [Test]
    public void RawImageHasNoSnapshotsLikeQemuImg()
    {
        string file = PathOf("disk.img");
        File.WriteAllBytes(file, new byte[4096]);
        var result = VirtQuiet("image-snapshots", file);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo(QemuImg("snapshot", "-l", file)).And.Empty);
            Assert.That(result.ExitCode, Is.EqualTo(0));
        });
    }
}
