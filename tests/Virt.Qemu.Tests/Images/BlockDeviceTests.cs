using System.Text.Json.Nodes;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// A block device (libvirt's <c>&lt;disk type='block'&gt;</c>) is read like a file, as qemu-img reads it:
/// its format is probed when none is given, its size is the device's (fstat says 0), and its disk size
/// is 0. The devices are loop devices over temporary files, so the test needs losetup and the right to
/// use it (root here).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class BlockDeviceTests
{
    private readonly List<string> _loops = [];
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void Detach()
    {
        foreach (string loop in _loops)
        {
            _ = TryRun(null, null, "losetup", "-d", loop);
        }

        _loops.Clear();
        _dir.Dispose();
    }

    private string Loop(string file)
    {
        (int code, string stdout, string stderr) = (-1, "", "losetup is not installed");
        try
        {
            (code, stdout, stderr) = TryRun(null, null, "losetup", "-f", "--show", file);
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        if (code != 0)
        {
            Assert.Ignore($"needs a loop device to have a block device: 'losetup -f --show' failed ({stderr.Trim()}); run as root on a host with loop devices");
        }

        string device = stdout.Trim();
        _loops.Add(device);
        return device;
    }

    private static JsonNode? QemuImgJson(params string[] args) => JsonNode.Parse(QemuImg([.. args, "--output=json"]));

    [Test]
    public void RawBlockDeviceHasTheDevicesSizeAndNoDiskSize()
    {
        Run("truncate", "-s", "3M", _dir["raw.img"]);
        string device = Loop(_dir["raw.img"]);
        ImageInfo info = QemuImage.GetInfo(device);
        JsonNode? expected = QemuImgJson("info", device);
        Assert.Multiple(() =>
        {
            Assert.That(info.Format, Is.EqualTo("raw"));
            Assert.That(info.VirtualSize, Is.EqualTo(3 << 20));
            Assert.That(info.ActualSize, Is.Zero);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(ImageFormatter.InfoJson(info)), expected), Is.True, $"qemu-img:\n{expected}");
            Assert.That(ImageFormatter.InfoText(info), Is.EqualTo(QemuImg("info", device)));
        });
    }

    [Test]
    public void Qcow2OnABlockDeviceIsProbedLikeQemuImgDoes()
    {
        QemuImg("create", "-q", "-f", "qcow2", _dir["q.qcow2"], "5M");
        Run("truncate", "-s", "1M", _dir["q.qcow2"]);
        string device = Loop(_dir["q.qcow2"]);
        ImageInfo info = QemuImage.GetInfo(device);
        Assert.Multiple(() =>
        {
            Assert.That(info.Format, Is.EqualTo("qcow2"));
            Assert.That(info.VirtualSize, Is.EqualTo(5 << 20));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(ImageFormatter.InfoJson(info)), QemuImgJson("info", device)), Is.True);
            Assert.That(QemuImage.GetInfo(device, "raw").VirtualSize, Is.EqualTo(1 << 20), "read as raw, it is the device's size");
        });
    }

    [Test]
    public void BlockDeviceCanBeARawBackingFile()
    {
        Run("truncate", "-s", "2M", _dir["base.img"]);
        string device = Loop(_dir["base.img"]);
        ImageInfo overlay = QemuImage.CreateOverlay(_dir["top.qcow2"], device, "raw");
        IReadOnlyList<ImageInfo> chain = QemuImage.GetBackingChain(_dir["top.qcow2"]);
        JsonNode? expected = QemuImgJson("info", "--backing-chain", _dir["top.qcow2"]);
        Assert.Multiple(() =>
        {
            Assert.That(overlay.VirtualSize, Is.EqualTo(2 << 20));
            Assert.That(chain.Select(i => i.Filename), Is.EqualTo(new[] { _dir["top.qcow2"], device }));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(ImageFormatter.ChainJson(chain)), expected), Is.True, $"qemu-img:\n{expected}");
        });
    }

    [Test]
    public void InternalSnapshotsWorkOnAQcow2BlockDevice()
    {
        QemuImg("create", "-q", "-f", "qcow2", _dir["q.qcow2"], "4M");
        Run("truncate", "-s", "8M", _dir["q.qcow2"]);
        string device = Loop(_dir["q.qcow2"]);
        QemuImage.CreateSnapshot(device, "s1");
        QemuImage.CreateSnapshot(device, "s2");
        QemuImage.DeleteSnapshot(device, "s1");
        IReadOnlyList<ImageSnapshotInfo> snapshots = QemuImage.ListSnapshots(device);
        Assert.Multiple(() =>
        {
            Assert.That(snapshots.Select(s => s.Name), Is.EqualTo(new[] { "s2" }));
            Assert.That(ImageFormatter.SnapshotsText(snapshots), Is.EqualTo(QemuImg("snapshot", "-l", device)));
        });
    }
}
