using Virt.Snapshot.Rules;
using static Virt.Snapshot.Tests.Rules.RuleFixtures;

namespace Virt.Snapshot.Tests.Rules;

public class SnapshotCreateDefaultsTests
{
    private static readonly string Domain = DomainXml(FileDisk("vda", "/i/vm.qcow2"));

    private static SnapshotDefinition Complete(string xml, SnapshotCreateFlags flags, DomainState state, SnapshotDriverProfile? driver = null) =>
        SnapshotCreateDefaults.Complete(SnapshotDefinition.Parse(xml), flags, driver ?? Profile(), state, Domain, null, "parent");

    [Test]
    public void MemoryDefaultsToInternalForARunningDomainAndToNoneForAShutOffOne()
    {
        var running = Complete("<domainsnapshot><name>a</name></domainsnapshot>", SnapshotCreateFlags.None, DomainState.Running);
        var off = Complete("<domainsnapshot><name>b</name></domainsnapshot>", SnapshotCreateFlags.None, DomainState.Shutoff);

        Assert.Multiple(() =>
        {
            Assert.That((running.State, running.Memory, running.ParentName, running.DomainXml), Is.EqualTo((SnapshotState.Running, SnapshotLocation.Internal, "parent", Domain)));
            Assert.That((off.State, off.Memory), Is.EqualTo((SnapshotState.Shutoff, SnapshotLocation.No)));
            Assert.That(running.Disks.Single(), Is.EqualTo(Disk("vda", SnapshotLocation.Internal)));
        });
    }

    [Test]
    public void MemoryCannotBeKeptByAnOfflineOrDiskOnlySnapshot()
    {
        Assert.Multiple(() =>
        {
            var off = Fails(() => Complete("<domainsnapshot><memory snapshot='internal'/></domainsnapshot>", SnapshotCreateFlags.None, DomainState.Shutoff));
            Assert.That(off.Code, Is.EqualTo(VirtErrorCode.XmlError));
            Assert.That(off.Message, Is.EqualTo("XML error: memory state cannot be saved with offline or disk-only snapshot"));
            Assert.That(Fails(() => Complete("<domainsnapshot><memory snapshot='internal'/></domainsnapshot>", SnapshotCreateFlags.DiskOnly, DomainState.Running, QemuLike("/i/vm.qcow2"))).Message,
                Is.EqualTo("XML error: memory state cannot be saved with offline or disk-only snapshot"));
        });
    }

    [Test]
    public void ADiskOnlySnapshotIsExternalWithLibvirtsFileNames()
    {
        var live = Complete("<domainsnapshot><name>s1</name></domainsnapshot>", SnapshotCreateFlags.DiskOnly, DomainState.Paused, QemuLike("/i/vm.qcow2"));
        var off = Complete("<domainsnapshot><name>s2</name></domainsnapshot>", SnapshotCreateFlags.DiskOnly, DomainState.Shutoff, QemuLike("/i/vm.qcow2"));

        Assert.Multiple(() =>
        {
            Assert.That((live.State, live.Memory), Is.EqualTo((SnapshotState.DiskSnapshot, SnapshotLocation.No)));
            Assert.That(off.State, Is.EqualTo(SnapshotState.Shutoff));
            Assert.That(live.Disks.Single(), Is.EqualTo(new SnapshotDiskDefinition { Name = "vda", Snapshot = SnapshotLocation.External, SourceType = "file", SourcePath = "/i/vm.s1" }));
        });
    }

    [Test]
    public void ExternalMemoryNeedsADriverThatCanSaveItAndMakesDisksExternal()
    {
        const string Xml = "<domainsnapshot><name>m</name><memory snapshot='external' file='/i/vm.mem'/></domainsnapshot>";

        var ex = Fails(() => Complete(Xml, SnapshotCreateFlags.None, DomainState.Running));
        var qemu = Complete(Xml, SnapshotCreateFlags.None, DomainState.Running, QemuLike("/i/vm.qcow2"));

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Is.EqualTo("unsupported configuration: the test driver does not support external memory snapshots"));
            Assert.That((qemu.State, qemu.Memory, qemu.MemoryFile), Is.EqualTo((SnapshotState.Running, SnapshotLocation.External, "/i/vm.mem")));
            Assert.That(qemu.Disks.Single().SourcePath, Is.EqualTo("/i/vm.m"));
        });
    }
}
