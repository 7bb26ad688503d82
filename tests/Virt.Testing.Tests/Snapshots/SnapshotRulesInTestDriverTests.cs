using Virt.TestSupport;

namespace Virt.Testing.Tests.Snapshots;

/// <summary>The shared snapshot rules (Virt.Snapshot/Rules) as test:///default applies them, against virsh where it
/// behaves the same.</summary>
public class SnapshotRulesInTestDriverTests : TestConnectionFixture
{
    private const string TestUuid = "6695eb01-f6a4-8304-79aa-97f2502e193f";

    private static string RedefineXml(string name, string devices) => $"""
        <domainsnapshot><name>{name}</name><state>running</state><creationTime>5</creationTime>
        <domain type='test'><name>test</name><uuid>{TestUuid}</uuid><memory>8388608</memory><os><type>hvm</type></os>
        <devices>{devices}</devices></domain></domainsnapshot>
        """;

    /// <summary>The one snapshot document virsh prints for <paramref name="commands"/>, where <c>{0}</c> is a file
    /// holding <paramref name="xml"/>.</summary>
    private static string VirshSnapshot(string xml, string commands)
    {
        string file = Path.Combine(Path.GetTempPath(), "virt-rules-" + Guid.NewGuid().ToString("N") + ".xml");
        File.WriteAllText(file, xml);
        try
        {
            return ReferenceVirsh.SnapshotDocuments(ReferenceVirsh.Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, commands, file))).Single();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Disks(string snapshotXml)
    {
        int start = snapshotXml.IndexOf("  <disks>", StringComparison.Ordinal);
        int end = snapshotXml.IndexOf("  </disks>", StringComparison.Ordinal);
        return start < 0 || end < 0 ? string.Empty : snapshotXml[start..end];
    }

    [Test]
    public void ARedefinedSnapshotGetsItsDisksAlignedWithItsDomainAsVirshShows()
    {
        string xml = RedefineXml("r",
            "<disk type='file' device='disk'><source file='/guest/a.img'/><target dev='vda' bus='virtio'/></disk><disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>");
        string reference = VirshSnapshot(xml, "snapshot-create test {0} --redefine; snapshot-dumpxml test r");

        var snap = Connection.LookupDomainByName("test").CreateSnapshot(xml, SnapshotCreateFlags.Redefine);

        // Only the disks: the embedded domain is kept as given, where libvirt re-formats it with its defaults.
        Assert.That(Disks(snap.GetXmlDescription()), Is.EqualTo(Disks(reference)).And.Contain("<disk name='vda' snapshot='internal'/>"));
    }

    [Test]
    public void ADiskSetToExternalSnapshotsIntoAFileNamedAsLibvirtNamesIt()
    {
        string image = Path.Combine(Path.GetTempPath(), "virt-rules-" + Guid.NewGuid().ToString("N") + ".img");
        File.WriteAllBytes(image, []);
        string domain = $"""
            <domain type='test'><name>ext</name><uuid>2b0a7c1e-3f7d-4b53-9a0e-4a0f5d1c2e11</uuid><memory>8192</memory><os><type>hvm</type></os><devices>
            <disk type='file' device='disk' snapshot='external'><source file='{image}'/><target dev='vda' bus='virtio'/></disk>
            <disk type='file' device='disk'><source file='/guest/missing.img'/><target dev='vdb' bus='virtio'/></disk>
            </devices></domain>
            """;
        try
        {
            string reference = VirshSnapshot(domain, "define {0}; snapshot-create-as ext s1; snapshot-dumpxml ext s1");

            var snap = Connection.DefineDomain(domain).CreateSnapshot("<domainsnapshot><name>s1</name></domainsnapshot>");

            Assert.Multiple(() =>
            {
                Assert.That(ReferenceVirsh.WithoutCreationTime(snap.GetXmlDescription()), Is.EqualTo(ReferenceVirsh.WithoutCreationTime(reference)));
                Assert.That(snap.GetXmlDescription(), Does.Contain($"<source file='{Path.ChangeExtension(image, "s1")}'/>"));
            });
        }
        finally
        {
            File.Delete(image);
        }
    }

    [Test]
    public void ADiskSetToExternalWithoutARegularSourceFileIsRefusedAsVirshRefusesIt()
    {
        var dom = Connection.DefineDomain("""
            <domain type='test'><name>ext</name><memory>8192</memory><os><type>hvm</type></os><devices>
            <disk type='file' device='disk' snapshot='external'><source file='/nonexistent/virt-rules.img'/><target dev='vda' bus='virtio'/></disk>
            </devices></domain>
            """);

        Assert.That(Fails(() => dom.CreateSnapshot("<domainsnapshot><name>s1</name></domainsnapshot>")).Message,
            Is.EqualTo("unsupported configuration: source for disk 'vda' is not a regular file; refusing to generate external snapshot name"));
    }

    [Test]
    public void AnEmbeddedDomainThatDoesNotParseIsRefusedAtRedefineNotAtRevert()
    {
        var test = Connection.LookupDomainByName("test");
        string xml = RedefineXml("bad", "<disk type='bogus' device='disk'><target dev='vda' bus='virtio'/></disk>");

        var ex = Fails(() => test.CreateSnapshot(xml, SnapshotCreateFlags.Redefine));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(test.ListSnapshots(), Is.Empty);
        });
    }

    [Test]
    public void RevertingARunningDomainToAShutOffSnapshotWithRunningRestartsItWithTheSnapshotsDefinition()
    {
        var test = Connection.LookupDomainByName("test");
        test.Destroy();
        var off = test.CreateSnapshot("<domainsnapshot><name>off</name></domainsnapshot>");
        Connection.DefineDomain(TestHost.DefaultDomainXml.Replace("<vcpu placement='static'>2</vcpu>", "<vcpu placement='static'>4</vcpu>", StringComparison.Ordinal));
        test.Start();
        int? id = test.Id;

        off.Revert(SnapshotRevertFlags.Running);

        Assert.Multiple(() =>
        {
            Assert.That(test.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(test.GetXmlDescription(), Does.Contain("<vcpu placement='static'>2</vcpu>"), "the live definition is the snapshot's");
            Assert.That(test.GetXmlDescription(DomainXmlFlags.Inactive), Does.Contain("<vcpu placement='static'>2</vcpu>"));
            Assert.That(test.Id, Is.Not.EqualTo(id), "restarted");
            Assert.That(test.IsUpdated, Is.False);
        });
    }
}
