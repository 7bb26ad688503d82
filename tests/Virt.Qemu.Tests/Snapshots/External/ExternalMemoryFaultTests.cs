using Virt.Drivers;
using Virt.Qemu.Driver;

namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>
/// A fault between the memory steps of an external snapshot with memory (a UEFI guest, so the NVRAM copy is among
/// them): of a create (stop, getfd, migrate, completed, the memory file's fsync and rename, the NVRAM copy, cont) and
/// of a revert (the new QEMU started with <c>-incoming defer</c>, getfd, migrate-incoming, completed, cont). The step
/// fails, QEMU is killed there, or the managing process is (<see cref="FaultInjection"/>). Afterwards, from a new
/// connection: the old or the new set of snapshots, a known state, the first snapshot's files intact; a revert to it
/// brings back its RAM and its data; and no file is leaked or lost (<see cref="ExternalFileCheck"/>, which also sees a
/// memory file's hidden temporary name).
/// </summary>
public sealed class ExternalMemoryFaultTests : ExternalSnapshotTest
{
    [Test]
    public void AMemoryCreateFaultLeavesTheOldOrTheNewState(
        [Values("external-create:paused", "memory-save:getfd", "memory-save:migrate", "memory-save:completed", "memory-save:fsync",
            "memory-save:rename", "external-create:nvram", "external-create:transaction", "external-create:resumed")] string step,
        [Values] Fault fault)
    {
        string ram = WithMemorySnapshotA();
        FaultInjection.Inject(Root, "memory", step, fault, "create:" + MemoryFile("b"));
        AssertRecoverable(["a"], ["a", "b"], fault, ram);
    }

    [Test]
    public void AMemoryRevertFaultLeavesTheOldStateOrTheReverted(
        [Values("start:launched", "memory-load:getfd", "memory-load:migrate", "memory-load:completed", "start:resumed")] string step,
        [Values] Fault fault)
    {
        string ram = WithMemorySnapshotA();
        FaultInjection.Inject(Root, "memory", step, fault, "revert");
        AssertRecoverable(["a"], ["a"], fault, ram);
    }

    /// <summary>Creates snapshot <c>b</c> with memory (<c>create:FILE</c>) of the running guest, or reverts to <c>a</c>
    /// running (<c>revert</c>), on domain <c>vm</c>.</summary>
    internal static void Perform(QemuDomainDriver driver, string operation)
    {
        var vm = driver.LookupDomainByName("vm");
        if (operation.StartsWith("create:", StringComparison.Ordinal))
        {
            driver.CreateSnapshot(vm, WithMemory("b", operation["create:".Length..]), SnapshotCreateFlags.None, null, default);
        }
        else
        {
            driver.RevertToSnapshot(new SnapshotIdentity(vm, "a"), SnapshotRevertFlags.Running, null, default);
        }
    }

    private string MemoryFile(string snapshot) => Path.Combine(Images, snapshot + ".mem");

    /// <summary>A running UEFI guest: data 0xaa, snapshot <c>a</c> with memory taken paused, then running with data 0xbb.</summary>
    /// <returns>The guest's RAM at <c>a</c>.</returns>
    private string WithMemorySnapshotA()
    {
        var vm = DefineUefiVm();
        vm.Start(DomainStartFlags.Paused);
        WriteData(vm, 0xaa);
        string ram = Ram(vm);
        vm.CreateSnapshot(WithMemory("a", MemoryFile("a")));
        vm.Resume();
        WriteData(vm, 0xbb);
        return ram;
    }

    private void AssertRecoverable(string[] before, string[] after, Fault fault, string ram)
    {
        using var conn = Open();
        var vm = conn.LookupDomainByName("vm");
        AssertOldOrNewState(vm, before, after, () => Assert.That(File.Exists(MemoryFile("a")), Is.True, "a's memory file is kept"));

        vm.LookupSnapshot("a").Revert(SnapshotRevertFlags.Paused);
        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Paused), "a revert to the snapshot before works");
            Assert.That(Ram(vm), Is.EqualTo(ram), "with its RAM");
        });
        vm.Destroy();
        Assert.That(DataOf(vm), Is.All.EqualTo(0xaa));
        ExternalFileCheck.Verify(vm, Root, fault != Fault.Fails, Images);
    }
}
