using System.Text.RegularExpressions;

namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>Reverting to external disk-only snapshots on real QEMU (seed 001): fresh overlays on the snapshot's files,
/// the state left removed when nothing needs it, the tree branching, from every state and with every flag.</summary>
public sealed partial class ExternalSnapshotRevertTests : ExternalSnapshotTest
{
    [Test]
    public void ARunningDomainRevertedToALeafEndsShutOffOnFreshOverlaysAndTheOldOnesGo()
    {
        var vm = DefineVm();
        vm.Start();
        WriteData(vm, 0xaa);
        vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xbb);

        vm.LookupSnapshot("s1").Revert();

        string[] files = ActiveFiles(vm);
        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.FromSnapshot)));
            Assert.That(files.Select(Path.GetFileName), Has.All.Match(RevertOverlayName()), "named <file without suffix>.<unix time in µs>");
            Assert.That(files.Select(BackingOf), Is.EqualTo(DisksOf()));
            Assert.That(DataOf(vm), Is.All.EqualTo(0xaa));
            Assert.That(File.Exists(Path.Combine(Images, "vm-a.s1")), Is.False, "the overlay of the state left is removed");
            Assert.That(vm.GetCurrentSnapshot().Name, Is.EqualTo("s1"));
        });
        CheckFiles(vm);
    }

    [TestCase(SnapshotRevertFlags.Running, DomainState.Running)]
    [TestCase(SnapshotRevertFlags.Paused, DomainState.Paused)]
    public void RunningOrPausedStartsTheDomainOnTheSnapshotsData(SnapshotRevertFlags flag, DomainState expected)
    {
        var vm = DefineVm();
        WriteData(vm, 0xaa);
        vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly);
        vm.Start(DomainStartFlags.Paused);
        WriteData(vm, 0xbb);

        vm.LookupSnapshot("s1").Revert(flag);

        Assert.That(vm.GetState().State, Is.EqualTo(expected));
        WriteData(vm, 0xcc);
        vm.Destroy();
        Assert.Multiple(() =>
        {
            Assert.That(DataOf(vm), Is.All.EqualTo(0xcc));
            Assert.That(DisksOf().Select(DataOf), Is.All.EqualTo(0xaa), "the snapshot's files stay frozen");
        });
        CheckFiles(vm);
    }

    [Test]
    public void RevertingToASnapshotWithChildrenBranchesTheTreeAndEveryBranchKeepsItsData()
    {
        var vm = DefineVm();
        vm.Start();
        WriteData(vm, 0xaa);
        vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xbb);
        vm.CreateSnapshot(DiskOnly("s2"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xcc);
        CheckFiles(vm);

        vm.LookupSnapshot("s1").Revert(SnapshotRevertFlags.Running);
        CheckFiles(vm);
        WriteData(vm, 0xdd);
        vm.CreateSnapshot(DiskOnly("s3"), SnapshotCreateFlags.DiskOnly);
        CheckFiles(vm);

        Assert.Multiple(() =>
        {
            Assert.That(vm.LookupSnapshot("s3").GetParent().Name, Is.EqualTo("s1"), "the next snapshot is a child of s1");
            Assert.That(vm.LookupSnapshot("s1").ListChildren().Select(c => c.Name).Order(), Is.EqualTo(new[] { "s2", "s3" }));
            Assert.That(File.Exists(Path.Combine(Images, "vm-a.s1")), Is.True, "s2's point in time stays");
            Assert.That(File.Exists(Path.Combine(Images, "vm-a.s2")), Is.False, "the state after s2 was left");
        });

        vm.LookupSnapshot("s2").Revert();
        Assert.That(DataOf(vm), Is.All.EqualTo(0xbb), "s2's data");
        CheckFiles(vm);
        vm.LookupSnapshot("s3").Revert();
        Assert.That(DataOf(vm), Is.All.EqualTo(0xdd), "s3's data");
        CheckFiles(vm);
        vm.LookupSnapshot("s1").Revert();
        Assert.That(DataOf(vm), Is.All.EqualTo(0xaa), "s1's data");
        CheckFiles(vm);
    }

    [Test]
    public void AShutOffDomainRevertsAndForceIsNotNeeded()
    {
        var vm = DefineVm();
        WriteData(vm, 0xaa);
        vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xbb);

        vm.LookupSnapshot("s1").Revert();

        Assert.Multiple(() =>
        {
            Assert.That(vm.IsActive, Is.False);
            Assert.That(DataOf(vm), Is.All.EqualTo(0xaa));
        });
        CheckFiles(vm);
    }

    [Test]
    public void AFileTheUserAttachedAfterTheSnapshotIsNeverDeleted()
    {
        var vm = DefineVm();
        vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly);
        string mine = Path.Combine(Root, "mine.qcow2");
        Virt.Qemu.Images.QemuImage.Create(mine, 1 << 20);
        string xml = vm.GetXmlDescription(DomainXmlFlags.Inactive).Replace(ActiveFiles(vm)[1], mine, StringComparison.Ordinal);
        Conn.DefineDomain(xml);

        vm.LookupSnapshot("s1").Revert();

        Assert.That(File.Exists(mine), Is.True);
        Assert.That(File.Exists(Path.Combine(Images, "vm-b.s1")), Is.False, "the overlay the snapshot made goes");
        CheckFiles(vm);
    }

    [GeneratedRegex(@"^vm-[ab]\.\d{16}$")]
    private static partial Regex RevertOverlayName();
}
