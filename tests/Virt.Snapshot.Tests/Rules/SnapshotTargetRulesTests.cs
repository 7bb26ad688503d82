using Virt.Snapshot.Rules;
using static Virt.Snapshot.Tests.Rules.RuleFixtures;

namespace Virt.Snapshot.Tests.Rules;

public class SnapshotTargetRulesTests
{
    private static readonly string[] TwoDisks = [FileDisk("vda", "/a.qcow2"), FileDisk("vdb", "/b.qcow2")];

    private static void Check(SnapshotState state, SnapshotLocation memory, params SnapshotLocation[] disks) =>
        SnapshotTargetRules.Check(
            new SnapshotDefinition { Name = "s", State = state, Memory = memory, Disks = disks.Select((l, i) => Disk(i == 0 ? "vda" : "vdb", l)).ToList() },
            Disks(TwoDisks));

    [Test]
    public void InternalAndExternalTargetsAreNotMixed()
    {
        const string Mixing = "unsupported configuration: mixing internal and external targets for a snapshot is not yet supported";
        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => Check(SnapshotState.Shutoff, SnapshotLocation.No, SnapshotLocation.Internal, SnapshotLocation.External)).Message, Is.EqualTo(Mixing));
            Assert.That(Fails(() => Check(SnapshotState.Running, SnapshotLocation.External, SnapshotLocation.Internal, SnapshotLocation.Internal)).Message, Is.EqualTo(Mixing));
            Assert.DoesNotThrow(() => Check(SnapshotState.Running, SnapshotLocation.External, SnapshotLocation.External, SnapshotLocation.No));
            Assert.DoesNotThrow(() => Check(SnapshotState.Running, SnapshotLocation.Internal, SnapshotLocation.Internal, SnapshotLocation.Internal));
        });
    }

    [Test]
    public void AnInternalSnapshotTakesEveryWritableDiskAndADiskOnlyOneNeedsAnExternalDisk()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => Check(SnapshotState.Running, SnapshotLocation.Internal, SnapshotLocation.Internal, SnapshotLocation.No)).Message,
                Is.EqualTo("unsupported configuration: internal and full system snapshots require all disks to be selected for snapshot"));
            Assert.That(Fails(() => Check(SnapshotState.Running, SnapshotLocation.Internal, SnapshotLocation.No, SnapshotLocation.No)).Message,
                Is.EqualTo("unsupported configuration: internal and full system snapshots require all disks to be selected for snapshot"));
            Assert.That(Fails(() => Check(SnapshotState.Shutoff, SnapshotLocation.No, SnapshotLocation.No, SnapshotLocation.No)).Message,
                Is.EqualTo("unsupported configuration: nothing selected for snapshot"));
            Assert.That(Fails(() => Check(SnapshotState.DiskSnapshot, SnapshotLocation.No, SnapshotLocation.Internal, SnapshotLocation.Internal)).Message,
                Is.EqualTo("unsupported configuration: disk-only snapshots require at least one disk to be selected for snapshot"));
        });
    }
}
