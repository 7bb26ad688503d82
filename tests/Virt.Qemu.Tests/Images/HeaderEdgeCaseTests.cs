using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>Header values at the edge of QEMU's checks are accepted, refused or probed exactly as qemu-img 7.2 does.</summary>
[TestFixture]
public sealed class HeaderEdgeCaseTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    private string Patched(string name, int at, ulong value, int width)
    {
        string path = _dir[name];
        QemuImg("create", "-q", "-f", "qcow2", path, "1M");
        byte[] b = File.ReadAllBytes(path);
        if (width == 8)
        {
            BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), (uint)value);
        }

        File.WriteAllBytes(path, b);
        return path;
    }

    [TestCase(0x10001UL)]
    [TestCase(0x20000UL)]
    [TestCase(ulong.MaxValue)]
    public void BackingFileOffsetPastTheFirstClusterIsRefusedEvenWithAnEmptyName(ulong offset)
    {
        string path = Patched("b.qcow2", 8, offset, 8);
        var (code, _, stderr) = TryRun(null, null, "qemu-img", "info", path);
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetInfo(path));
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.Zero);
            Assert.That(stderr, Does.Contain("Invalid backing file offset"));
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ReadFailed));
            Assert.That(ex.Message, Is.EqualTo($"failed to read file: '{path}' is not a valid qcow2 image: backing file offset {offset} lies past the first cluster (65536 bytes)"));
        });
    }

    [Test]
    public void BackingFileOffsetAtTheClusterEndWithAnEmptyNameIsAccepted()
    {
        string path = Patched("b.qcow2", 8, 0x10000, 8);
        JsonNode? expected = JsonNode.Parse(QemuImg("info", "--output=json", path));
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(ImageFormatter.InfoJson(QemuImage.GetInfo(path))), expected), Is.True, $"qemu-img:\n{expected}");
    }

    [Test]
    public void QcowMagicWithVersionZeroIsProbedAsRaw()
    {
        string path = Patched("v0.qcow2", 4, 0, 4);
        ImageInfo info = QemuImage.GetInfo(path);
        JsonNode? expected = JsonNode.Parse(QemuImg("info", "--output=json", path));
        Assert.Multiple(() =>
        {
            Assert.That(info.Format, Is.EqualTo("raw"));
            Assert.That(info.VirtualSize, Is.EqualTo((new FileInfo(path).Length + 511) / 512 * 512));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(ImageFormatter.InfoJson(info)), expected), Is.True, $"qemu-img:\n{expected}");
        });
    }

    [TestCase(0u, "raw")]
    [TestCase(1u, "qcow")]
    [TestCase(2u, "qcow2")]
    [TestCase(3u, "qcow2")]
    [TestCase(4u, "qcow2")]
    public void ProbeFollowsQemusVersionRules(uint version, string format)
    {
        byte[] head = new byte[64];
        BinaryPrimitives.WriteUInt32BigEndian(head, 0x514649fb);
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(4), version);
        Assert.That(ImageFormatProbe.Probe(head), Is.EqualTo(format));
    }
}
