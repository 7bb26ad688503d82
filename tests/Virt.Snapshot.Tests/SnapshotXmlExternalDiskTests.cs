using Virt.TestSupport;

namespace Virt.Snapshot.Tests;

/// <summary>What external snapshots need in the model, read and written as libvirt does (snapshot_conf.c).</summary>
public class SnapshotXmlExternalDiskTests
{
    private const string Domain = """
        <domain type='test'><name>test</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid><memory>8388608</memory><os><type>hvm</type></os>
        <devices><disk type='file' device='disk'><source file='/guest/a'/><target dev='vda' bus='virtio'/></disk></devices></domain>
        """;

    // Written as libvirt's virDomainSnapshotDefFormatInternal lays them out: <revertDisks> after <disks>, before
    // <domain>; <snapshotDeleteInProgress/> as a disk's first child.
    private const string WithRevertDisks = """
        <domainsnapshot>
          <name>ext</name>
          <state>disk-snapshot</state>
          <creationTime>1700000000</creationTime>
          <memory snapshot='no'/>
          <disks>
            <disk name='vda' snapshot='external' type='file'>
              <snapshotDeleteInProgress/>
              <driver type='qcow2'/>
              <source file='/guest/a.ext'/>
            </disk>
            <disk name='vdb' snapshot='external'>
              <snapshotDeleteInProgress/>
            </disk>
          </disks>
          <revertDisks>
            <disk name='vda' snapshot='external' type='file'>
              <driver type='qcow2'/>
              <source file='/guest/a.1700000100'/>
            </disk>
          </revertDisks>
        </domainsnapshot>

        """;

    [Test]
    public void RevertDisksAndDeleteInProgressRoundTripInLibvirtsLayout()
    {
        var def = SnapshotDefinition.Parse(WithRevertDisks, SnapshotParseFlags.Redefine);

        Assert.Multiple(() =>
        {
            Assert.That(def.ToXml(), Is.EqualTo(WithRevertDisks));
            Assert.That(def.Disks.Select(d => d.DeleteInProgress), Is.EqualTo(new[] { true, true }));
            Assert.That(def.RevertDisks.Single(), Is.EqualTo(new SnapshotDiskDefinition
            {
                Name = "vda", Snapshot = SnapshotLocation.External, SourceType = "file", SourcePath = "/guest/a.1700000100", DriverType = "qcow2",
            }));
        });
    }

    [Test]
    public void RevertDisksAndDeleteInProgressAreReadOnlyFromXmlOfAnExistingSnapshot()
    {
        var def = SnapshotDefinition.Parse(WithRevertDisks, SnapshotParseFlags.None);

        Assert.Multiple(() =>
        {
            Assert.That(def.RevertDisks, Is.Empty);
            Assert.That(def.Disks.Select(d => d.DeleteInProgress), Is.All.False);
            Assert.That(def.ToXml(), Does.Not.Contain("revertDisks").And.Not.Contain("snapshotDeleteInProgress"));
        });
    }

    [Test]
    public void AnExternalFileDiskIsWrittenWithTypeFileAsVirshWritesIt()
    {
        string xml = $"""
            <domainsnapshot><name>ext</name><state>disk-snapshot</state><creationTime>1700000000</creationTime><memory snapshot='no'/>
            <disks><disk name='vda' snapshot='external'><driver type='qcow2'/><source file='/guest/a.ext'/></disk></disks>{Domain}</domainsnapshot>
            """;
        string file = Path.Combine(Path.GetTempPath(), "virt-snap-" + Guid.NewGuid().ToString("N") + ".xml");
        string reference;
        try
        {
            File.WriteAllText(file, xml);
            reference = ReferenceVirsh.SnapshotDocuments(ReferenceVirsh.Run($"snapshot-create test {file} --redefine; snapshot-dumpxml test ext")).Single();
        }
        finally
        {
            File.Delete(file);
        }

        var def = SnapshotDefinition.Parse(reference, SnapshotParseFlags.Redefine);

        Assert.Multiple(() =>
        {
            Assert.That(reference, Does.Contain("<disk name='vda' snapshot='external' type='file'>"));
            Assert.That(def.Disks[0].SourceType, Is.EqualTo("file"));
            Assert.That(def.ToXml(), Is.EqualTo(reference));
        });
    }

    [TestCase("dir", "XML error: unsupported disk snapshot type 'dir'")]
    [TestCase("volume", "XML error: unsupported disk snapshot type 'volume'")]
    [TestCase("none", "XML error: Invalid value for attribute 'type' in element 'disk': 'none'.")]
    [TestCase("xyz", "XML error: Invalid value for attribute 'type' in element 'disk': 'xyz'.")]
    public void DiskTypesLibvirtRefusesAreRefusedWithItsMessage(string type, string message)
    {
        // The messages are virsh 9.0's for the same redefine (checked by hand: virsh prints errors on stderr).
        string xml = $"<domainsnapshot><name>x</name><disks><disk name='vda' snapshot='external' type='{type}'><source file='/a'/></disk></disks></domainsnapshot>";

        var ex = Assert.Throws<VirtException>(() => SnapshotDefinition.Parse(xml))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(ex.Message, Is.EqualTo(message));
        });
    }

    [Test]
    public void ABlockDiskKeepsItsDevicePath()
    {
        const string Xml = "<domainsnapshot><name>b</name><disks><disk name='vda' snapshot='external' type='block'><source dev='/dev/sdz'/></disk></disks></domainsnapshot>";

        var def = SnapshotDefinition.Parse(Xml);

        Assert.That(def.ToXml(), Does.Contain("    <disk name='vda' snapshot='external' type='block'>\n      <source dev='/dev/sdz'/>\n    </disk>\n"));
    }
}
