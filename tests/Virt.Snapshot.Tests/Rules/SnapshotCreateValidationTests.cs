using Virt.Snapshot.Rules;
using static Virt.Snapshot.Tests.Rules.RuleFixtures;

namespace Virt.Snapshot.Tests.Rules;

public class SnapshotCreateValidationTests
{
    private static void Check(string name, SnapshotCreateFlags flags = SnapshotCreateFlags.None, DomainState state = DomainState.Running,
        SnapshotState snapshotState = SnapshotState.NoState, SnapshotLocation memory = SnapshotLocation.Default) =>
        SnapshotCreateValidation.Check(new SnapshotDefinition { Name = name, State = snapshotState, Memory = memory }, flags, state, QemuLike());

    [Test]
    public void NamesThatCannotBeFileNamesAreRefusedUnlessNoMetadataIsKept()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => Check("a/b")).Message, Is.EqualTo("XML error: invalid snapshot name 'a/b': name can't contain '/'"));
            Assert.That(Fails(() => Check(".a")).Message, Is.EqualTo("XML error: invalid snapshot name '.a': name can't start with '.'"));
            Assert.DoesNotThrow(() => Check("a/b", SnapshotCreateFlags.NoMetadata));
        });
    }

    [Test]
    public void LiveIsOnlyForAnExternalFullSystemSnapshotOfARunningDomain()
    {
        const string Message = "Operation not supported: live snapshot creation is supported only during full system snapshots";
        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => Check("a", SnapshotCreateFlags.Live, memory: SnapshotLocation.Internal)).Message, Is.EqualTo(Message));
            Assert.That(Fails(() => Check("a", SnapshotCreateFlags.Live, DomainState.Shutoff, memory: SnapshotLocation.External)).Message, Is.EqualTo(Message));
            Assert.DoesNotThrow(() => Check("a", SnapshotCreateFlags.Live, memory: SnapshotLocation.External));
        });
    }

    [Test]
    public void SnapshotsAreTakenOnlyInStatesLibvirtAllows()
    {
        Assert.Multiple(() =>
        {
            foreach (var ok in new[] { DomainState.Running, DomainState.Paused, DomainState.Shutdown, DomainState.Shutoff, DomainState.Crashed })
            {
                Assert.DoesNotThrow(() => Check("a", state: ok), ok.ToString());
            }

            Assert.That(Fails(() => Check("a", state: DomainState.PMSuspended)).Message,
                Is.EqualTo("Operation not supported: qemu doesn't support taking snapshots of PMSUSPENDED guests"));
            Assert.That(Fails(() => Check("a", state: DomainState.Blocked)).Message, Is.EqualTo("internal error: Invalid domain state blocked"));
            Assert.That(Fails(() => Check("a", state: DomainState.NoState)).Message, Is.EqualTo("internal error: Invalid domain state nostate"));
            Assert.DoesNotThrow(() => Check("a", SnapshotCreateFlags.Redefine, DomainState.Shutoff, SnapshotState.DiskSnapshot), "a redefined disk-only snapshot");
        });
    }
}
