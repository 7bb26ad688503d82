using System.Text.Json.Nodes;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>Loops, missing links, unrecorded and unexpected formats in backing chains.</summary>
[TestFixture]
public sealed class BackingChainTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    private string Image(string name, string? backing = null, string? format = null) => _dir.Qcow2(name, backing, format);

    [Test]
    public void LoopIsDetected()
    {
        Image("a.qcow2", "b.qcow2", "qcow2");
        Image("b.qcow2", "c.qcow2", "qcow2");
        Image("c.qcow2", "a.qcow2", "qcow2");
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir["a.qcow2"]));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo($"Requested operation is not valid: backing chain of '{_dir["a.qcow2"]}' loops: '{_dir["c.qcow2"]}' names '{_dir["a.qcow2"]}', which is already in the chain as '{_dir["a.qcow2"]}'; fix it with qemu-img rebase -u"));
        });
    }

    [Test]
    public void LoopThroughASymlinkIsDetected()
    {
        Image("a.qcow2", "link.qcow2", "qcow2");
        File.CreateSymbolicLink(_dir["link.qcow2"], _dir["a.qcow2"]);
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir["a.qcow2"]));
        Assert.That(ex!.Detail, Does.Contain("loops"));
    }

    [Test]
    public void SelfReferenceIsALoop()
    {
        Image("self.qcow2", "self.qcow2", "qcow2");
        Assert.That(() => QemuImage.GetBackingChain(_dir["self.qcow2"]),
            Throws.TypeOf<VirtException>().With.Property(nameof(VirtException.Code)).EqualTo(VirtErrorCode.OperationInvalid));
    }

    [Test]
    public void BackingFileWithoutRecordedFormatIsRefused()
    {
        Image("base.qcow2");
        Image("top.qcow2", "base.qcow2", null);
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir["top.qcow2"]));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ConfigUnsupported));
            Assert.That(ex.Message, Is.EqualTo($"unsupported configuration: '{_dir["top.qcow2"]}' has backing file 'base.qcow2' but records no backing format; "
                + "Virt does not probe backing files (QEMU would guess the format from the file's contents, which is unsafe for raw images). "
                + $"Record the format with: qemu-img rebase -u -b 'base.qcow2' -F <qcow2|raw> '{_dir["top.qcow2"]}'"));
            Assert.That(QemuImage.GetInfo(_dir["top.qcow2"]).BackingFormat, Is.Null, "the image itself is still readable");
        });
    }

    [Test]
    public void UnexpectedBackingFormatIsRefused()
    {
        Image("base.vmdk");
        Image("top.qcow2", "base.vmdk", "vmdk");
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir["top.qcow2"]));
        Assert.That(ex!.Message, Is.EqualTo($"unsupported configuration: '{_dir["top.qcow2"]}' has backing file 'base.vmdk' in format 'vmdk'; only qcow2 and raw backing files are supported"));
    }

    [Test]
    public void RecordedRawFormatWinsOverContentsLikeInQemu()
    {
        // A raw backing file whose guest wrote a qcow2 header into it stays raw.
        Image("guest-wrote-qcow2.img", "/etc/passwd", "raw");
        QemuImg("create", "-q", "-f", "qcow2", "-b", "guest-wrote-qcow2.img", "-F", "raw", _dir["top.qcow2"], "1M");
        IReadOnlyList<ImageInfo> chain = QemuImage.GetBackingChain(_dir["top.qcow2"]);
        Assert.Multiple(() =>
        {
            Assert.That(chain, Has.Count.EqualTo(2));
            Assert.That(chain[1].Format, Is.EqualTo("raw"));
            Assert.That(chain[1].BackingFilename, Is.Null);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(ImageFormatter.ChainJson(chain)),
                JsonNode.Parse(QemuImg("info", "--backing-chain", "--output=json", _dir["top.qcow2"]))), Is.True);
        });
    }

    [Test]
    public void RecordedQcow2FormatOnARawFileIsAnError()
    {
        File.WriteAllBytes(_dir["plain.img"], new byte[65536]);
        Image("top.qcow2", "plain.img", "qcow2");
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir["top.qcow2"]));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.ReadFailed));
            Assert.That(ex.Detail, Is.EqualTo($"backing file of '{_dir["top.qcow2"]}': '{_dir["plain.img"]}' is not a valid qcow2 image: the file does not start with the qcow2 magic 'QFI\\xfb'"));
        });
    }

    [Test]
    public void ProtocolBackingIsRefused()
    {
        Image("top.qcow2", "nbd://example.org/disk", "raw");
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir["top.qcow2"]));
        Assert.That(ex!.Message, Is.EqualTo($"unsupported configuration: '{_dir["top.qcow2"]}' has backing file 'nbd://example.org/disk', which names a protocol or a JSON description; only local files are supported"));
    }

    [Test]
    public void TopImageInAnotherFormatIsRefusedByName()
    {
        File.WriteAllBytes(_dir["disk.vmdk"], "KDMV\u0001\0\0\0"u8.ToArray());
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetInfo(_dir["disk.vmdk"]));
        Assert.That(ex!.Message, Is.EqualTo($"unsupported configuration: '{_dir["disk.vmdk"]}': image format 'vmdk' is not supported (only qcow2 and raw are)"));
    }

    [Test]
    public void MissingTopImageIsOpenFailed()
    {
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetInfo(_dir["none.qcow2"]));
        Assert.That(ex!.Message, Is.EqualTo($"failed to open file: '{_dir["none.qcow2"]}' does not exist"));
    }
}
