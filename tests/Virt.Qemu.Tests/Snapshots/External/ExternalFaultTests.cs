using Virt.Drivers;
using Virt.Qemu.Driver;

namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>
/// A fault at each step of an external create (running and shut off) and revert: the step fails (as a failing command
/// would), QEMU is killed there, or the managing process is (the operation then runs in a child process, see
/// <see cref="Program"/>). Afterwards, from a new connection: the old or the new set of snapshots, current among them,
/// a known domain state; a revert to the first snapshot works and reads its data; and no file is leaked or lost
/// (<see cref="ExternalFileCheck"/>).
/// </summary>
public sealed class ExternalFaultTests : ExternalSnapshotTest
{
    [Test]
    public void ARunningCreateFaultLeavesTheOldOrTheNewState(
        [Values("external-create:overlay", "external-create:added", "external-create:switched", "external-create:recorded")] string step, [Values] Fault fault)
    {
        var vm = DefineVm();
        vm.Start();
        WithSnapshotA(vm);
        Inject(step, fault, "create");
        AssertRecoverable(["a"], ["a", "b"], fault);
    }

    [Test]
    public void AShutOffCreateFaultLeavesTheOldOrTheNewState(
        [Values("external-create:overlay", "external-create:defined", "external-create:recorded")] string step, [Values(Fault.Fails, Fault.ManagerKilled)] Fault fault)
    {
        var vm = DefineVm();
        WithSnapshotA(vm);
        Inject(step, fault, "create");
        AssertRecoverable(["a"], ["a", "b"], fault);
    }

    [Test]
    public void ARevertFaultLeavesTheOldStateOrTheReverted(
        [Values("external-revert:overlay", "external-revert:overlays", "external-revert:defined", "start:launched", "start:pid-recorded", "start:resumed", "external-revert:reverted")] string step,
        [Values] Fault fault)
    {
        var vm = DefineVm();
        vm.Start();
        WithSnapshotA(vm);
        vm.CreateSnapshot(DiskOnly("b"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xcc);
        Inject(step, fault, "revert");
        AssertRecoverable(["a", "b"], ["a", "b"], fault);
    }

    /// <summary>Data 0xaa, external snapshot <c>a</c>, then data 0xbb.</summary>
    private void WithSnapshotA(IVirtDomain vm)
    {
        WriteData(vm, 0xaa);
        vm.CreateSnapshot(DiskOnly("a"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xbb);
    }

    /// <summary>Create external snapshot <c>b</c>, or revert to <c>a</c> (running), on domain <c>vm</c>.</summary>
    internal static void Perform(QemuDomainDriver driver, string operation)
    {
        var vm = driver.LookupDomainByName("vm");
        if (operation == "create")
        {
            driver.CreateSnapshot(vm, DiskOnly("b"), SnapshotCreateFlags.DiskOnly, null, default);
        }
        else
        {
            driver.RevertToSnapshot(new SnapshotIdentity(vm, "a"), SnapshotRevertFlags.Running, null, default);
        }
    }

    private void Inject(string step, Fault fault, string operation) => FaultInjection.Inject(Root, "external", step, fault, operation);

    private void AssertRecoverable(string[] before, string[] after, Fault fault)
    {
        using var conn = Open();
        var vm = conn.LookupDomainByName("vm");
        AssertOldOrNewState(vm, before, after);

        vm.LookupSnapshot("a").Revert(SnapshotRevertFlags.Running);
        Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running), "a revert to the snapshot before works");
        vm.Destroy();
        Assert.That(DataOf(vm), Is.All.EqualTo(0xaa));
        ExternalFileCheck.Verify(vm, Root, fault != Fault.Fails, Images);
    }
}
