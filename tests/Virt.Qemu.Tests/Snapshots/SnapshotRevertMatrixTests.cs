namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// Revert from a running, paused or shut-off domain to a snapshot taken running, paused or shut off, with and without
/// RUNNING / PAUSED: the state is the snapshot's (or the flag's), the disks hold what they held at snapshot time
/// (checked offline), the RAM of a paused snapshot is the same bytes, a QEMU that can be reverted in place keeps running
/// (same id), and every image passes <c>qemu-img check</c>.
/// </summary>
public sealed class SnapshotRevertMatrixTests : SnapshotTest
{
    private const byte AtSnapshot = 0xaa;

    [TestCase(DomainState.Running, DomainState.Running)]
    [TestCase(DomainState.Running, DomainState.Paused)]
    [TestCase(DomainState.Running, DomainState.Shutoff)]
    [TestCase(DomainState.Paused, DomainState.Running)]
    [TestCase(DomainState.Paused, DomainState.Paused)]
    [TestCase(DomainState.Paused, DomainState.Shutoff)]
    [TestCase(DomainState.Shutoff, DomainState.Running)]
    [TestCase(DomainState.Shutoff, DomainState.Paused)]
    [TestCase(DomainState.Shutoff, DomainState.Shutoff)]
    public void RevertBringsBackTheSnapshotsStateDisksAndRam(DomainState taken, DomainState from)
    {
        var vm = DefineVm();
        MoveTo(vm, taken);
        Write(vm, AtSnapshot);
        string? ram = taken == DomainState.Paused ? Ram(vm) : null;
        var snapshot = vm.CreateSnapshot("<domainsnapshot><name>s</name></domainsnapshot>");
        Write(vm, 0xbb);
        MoveTo(vm, from);
        Write(vm, 0xcc);
        int? idBefore = vm.Id;

        snapshot.Revert();

        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(taken));
            Assert.That(vm.GetCurrentSnapshot().Name, Is.EqualTo("s"));
            if (ram is not null)
            {
                Assert.That(Ram(vm), Is.EqualTo(ram), "the RAM is the snapshot's");
            }

            if (from != DomainState.Shutoff && taken != DomainState.Shutoff)
            {
                Assert.That(vm.Id, Is.EqualTo(idBefore), "reverted in place: the same QEMU runs on");
            }
        });
        if (vm.IsActive)
        {
            vm.Destroy();
        }

        Assert.That(Holds("vm", AtSnapshot), Is.True, "both disks hold the snapshot's data");
        AssertImagesClean();
    }

    [TestCase(DomainState.Running, SnapshotRevertFlags.Paused, DomainState.Paused)]
    [TestCase(DomainState.Paused, SnapshotRevertFlags.Running, DomainState.Running)]
    [TestCase(DomainState.Shutoff, SnapshotRevertFlags.Running, DomainState.Running)]
    [TestCase(DomainState.Shutoff, SnapshotRevertFlags.Paused, DomainState.Paused)]
    public void RunningAndPausedFlagsDecideTheStateAfterTheRevert(DomainState taken, SnapshotRevertFlags flags, DomainState expected)
    {
        var vm = DefineVm();
        MoveTo(vm, taken);
        Write(vm, AtSnapshot);
        var snapshot = vm.CreateSnapshot("<domainsnapshot><name>s</name></domainsnapshot>");
        MoveTo(vm, DomainState.Running);
        Write(vm, 0xbb);

        snapshot.Revert(flags);

        Assert.That(vm.GetState().State, Is.EqualTo(expected));
        vm.Destroy();
        Assert.That(Holds("vm", AtSnapshot), Is.True);
        AssertImagesClean();
    }

    [Test]
    public void RevertingRepeatedlyInPlaceAlwaysComesBackToTheSameRamAndDisks()
    {
        var vm = DefineVm();
        vm.Start(DomainStartFlags.Paused);
        Write(vm, AtSnapshot);
        string ram = Ram(vm);
        var snapshot = vm.CreateSnapshot("<domainsnapshot><name>s</name></domainsnapshot>");
        for (int i = 0; i < 5; i++)
        {
            vm.Resume();
            Write(vm, (byte)(0x10 + i));
            snapshot.Revert();
            Assert.That(Ram(vm), Is.EqualTo(ram), $"round {i}");
        }

        vm.Destroy();
        Assert.That(Holds("vm", AtSnapshot), Is.True);
        AssertImagesClean();
    }

    private static void MoveTo(IVirtDomain vm, DomainState state)
    {
        var now = vm.GetState().State;
        switch (state)
        {
            case DomainState.Shutoff when now != DomainState.Shutoff:
                vm.Destroy();
                break;
            case DomainState.Running when now == DomainState.Shutoff:
                vm.Start();
                break;
            case DomainState.Running when now == DomainState.Paused:
                vm.Resume();
                break;
            case DomainState.Paused when now == DomainState.Shutoff:
                vm.Start(DomainStartFlags.Paused);
                break;
            case DomainState.Paused when now == DomainState.Running:
                vm.Suspend();
                break;
        }
    }
}
