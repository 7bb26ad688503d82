using System.Text.Json.Nodes;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>A raw file's virtual size is its length rounded up to a 512-byte sector, as qemu-img 7.2 reports it.</summary>
[TestFixture]
public sealed class RawSizeTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    [TestCase(100, 512)]
    [TestCase(512, 512)]
    [TestCase(1000, 1024)]
    [TestCase(4097, 4608)]
    public void InfoOfARawFileEqualsQemuImg(int length, long virtualSize)
    {
        string path = _dir["disk.raw"];
        File.WriteAllBytes(path, Enumerable.Repeat((byte)0x5a, length).ToArray());
        ImageInfo info = QemuImage.GetInfo(path);
        JsonNode? expected = JsonNode.Parse(QemuImg("info", "--output=json", path));
        JsonNode? actual = JsonNode.Parse(ImageFormatter.InfoJson(info));
        Assert.Multiple(() =>
        {
            Assert.That(info.VirtualSize, Is.EqualTo(virtualSize));
            Assert.That(expected!["virtual-size"]!.GetValue<long>(), Is.EqualTo(virtualSize), "qemu-img's own figure");
            Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, $"ours:\n{actual}\nqemu-img:\n{expected}");
            Assert.That(ImageFormatter.InfoText(info), Is.EqualTo(QemuImg("info", path)));
        });
    }

    [Test]
    public void OverlayOnAnOddSizedRawFileTakesQemuImgsRoundedSize()
    {
        File.WriteAllBytes(_dir["base.raw"], new byte[100]);
        ImageInfo overlay = QemuImage.CreateOverlay(_dir["top.qcow2"], "base.raw", "raw");
        IReadOnlyList<ImageInfo> chain = QemuImage.GetBackingChain(_dir["top.qcow2"]);
        Assert.Multiple(() =>
        {
            Assert.That(overlay.VirtualSize, Is.EqualTo(512));
            Assert.That(ImageFormatter.ChainText(chain), Is.EqualTo(QemuImg("info", "--backing-chain", _dir["top.qcow2"])));
        });
    }
}
