using Virt.Conf;

namespace Virt.Core.Tests.Conf;

/// <summary>The disk's <c>snapshot=</c> attribute, as libvirt 9.0 reads and writes it (checked with virsh define/dumpxml).</summary>
public class DomainDiskSnapshotAttributeTests
{
    private static string Domain(string disk) =>
        $"<domain type='test'><name>d</name><memory>1024</memory><os><type>hvm</type></os><devices>{disk}</devices></domain>";

    [Test]
    public void TheAttributeIsReadIntoTheModelAndWrittenAfterDevice()
    {
        var def = DomainDefinition.Parse(Domain("<disk type='file' device='disk' snapshot='external'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk>"));

        Assert.Multiple(() =>
        {
            Assert.That(def.Devices.Disks[0].Snapshot, Is.EqualTo("external"));
            Assert.That(def.ToXml(), Does.Contain("<disk type='file' device='disk' snapshot='external'>"));
            Assert.That(DomainDefinition.Parse(Domain("<disk type='file' device='disk'><target dev='vda'/></disk>")).Devices.Disks[0].Snapshot, Is.Null);
        });
    }

    [Test]
    public void NoIsNotWrittenForAReadOnlyDiskAsLibvirtDoesNotWriteItsDefault()
    {
        var cdrom = DomainDefinition.Parse(Domain("<disk type='file' device='cdrom' snapshot='no'><target dev='hdc' bus='ide'/><readonly/></disk>"));
        var disk = DomainDefinition.Parse(Domain("<disk type='file' device='disk' snapshot='no'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk>"));

        Assert.Multiple(() =>
        {
            Assert.That(cdrom.ToXml(), Does.Contain("<disk type='file' device='cdrom'>"));
            Assert.That(disk.ToXml(), Does.Contain("<disk type='file' device='disk' snapshot='no'>"));
        });
    }

    [TestCase("bogus")]
    [TestCase("default")]
    [TestCase("")]
    public void ValuesLibvirtDoesNotKnowAreRefusedWithItsMessage(string value)
    {
        var ex = Assert.Throws<VirtException>(() => DomainDefinition.Parse(Domain($"<disk type='file' device='disk' snapshot='{value}'><target dev='vda'/></disk>")))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Does.StartWith($"XML error: Invalid value for attribute 'snapshot' in element 'disk': '{value}'."));
        });
    }
}
