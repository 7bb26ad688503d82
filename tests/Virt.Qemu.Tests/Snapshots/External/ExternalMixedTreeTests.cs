namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>Internal and external snapshots in one tree (issue 11 item 4): no order of create and revert changes a file
/// an external snapshot keeps as its point in time.</summary>
public sealed class ExternalMixedTreeTests : ExternalSnapshotTest
{
    [Test]
    public void RevertingToAnInternalSnapshotInsideAnExternalSnapshotsFileIsRefusedBeforeAnythingChanges()
    {
        var vm = DefineVm();
        vm.Start();
        WriteData(vm, 0xaa);
        vm.CreateSnapshot("<domainsnapshot><name>i0</name></domainsnapshot>");
        WriteData(vm, 0xbb);
        vm.CreateSnapshot(DiskOnly("e1"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xcc);

        var ex = Assert.Throws<VirtException>(() => vm.LookupSnapshot("i0").Revert())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationUnsupported));
            Assert.That(ex.Message, Does.Contain($"would change '{DisksOf()[0]}', which external snapshot 'e1' keeps as its point in time"));
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(vm.GetCurrentSnapshot().Name, Is.EqualTo("e1"));
            Assert.That(DisksOf().Select(DataOf), Is.All.EqualTo(0xbb), "e1's point in time is unchanged");
            Assert.That(DataOf(vm), Is.All.EqualTo(0xcc));
        });
        CheckFiles(vm);

        vm.LookupSnapshot("e1").Revert(SnapshotRevertFlags.Running);
        Assert.That(DataOf(vm), Is.All.EqualTo(0xbb));
        CheckFiles(vm);
    }

    [Test]
    public void AnInternalSnapshotInAnOverlayRevertsInPlaceUntilALaterExternalSnapshotFreezesThatOverlay()
    {
        var vm = DefineVm();
        vm.Start();
        WriteData(vm, 0xaa);
        vm.CreateSnapshot(DiskOnly("e1"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xbb);
        vm.CreateSnapshot("<domainsnapshot><name>i1</name></domainsnapshot>");
        WriteData(vm, 0xcc);

        vm.LookupSnapshot("i1").Revert();
        Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
        vm.Suspend();
        Assert.That(DataOf(vm), Is.All.EqualTo(0xbb), "reverted inside the overlays");
        vm.Resume();
        CheckFiles(vm);

        vm.CreateSnapshot(DiskOnly("e2"), SnapshotCreateFlags.DiskOnly);
        var ex = Assert.Throws<VirtException>(() => vm.LookupSnapshot("i1").Revert())!;
        Assert.That(ex.Message, Does.Contain("which external snapshot 'e2' keeps as its point in time"));
        CheckFiles(vm);
    }

    [Test]
    public void AnInternalSnapshotInAnOverlayIsDeletedFromTheOverlayWhileTheDomainRuns()
    {
        var vm = DefineVm();
        vm.Start();
        vm.CreateSnapshot(DiskOnly("e1"), SnapshotCreateFlags.DiskOnly);
        vm.CreateSnapshot("<domainsnapshot><name>i1</name></domainsnapshot>");
        vm.Suspend();
        string[] overlays = ActiveFiles(vm);
        Assert.That(overlays.Select(Tags), Is.All.EqualTo(new[] { "i1" }), "i1 is in the overlays QEMU writes to");
        vm.Resume();

        vm.LookupSnapshot("i1").Delete();

        vm.Suspend();
        Assert.Multiple(() =>
        {
            Assert.That(vm.ListSnapshots().Select(s => s.Name), Is.EqualTo(new[] { "e1" }));
            Assert.That(overlays.Select(Tags), Is.All.Empty, "i1 left the overlays");
            Assert.That(DisksOf().Select(Tags), Is.All.Empty, "the frozen files never held it");
        });
        vm.Resume();
        CheckFiles(vm);
    }
}
