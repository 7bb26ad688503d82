using Virt.Drivers;
using Virt.Qemu.Driver;

namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>
/// A fault at each step of an external revert of a UEFI domain, whose NVRAM the revert puts back: the step fails, QEMU
/// is killed there, or the managing process is (<see cref="FaultInjection"/>). Whichever way the revert went, after the
/// next job on the domain (a start, from a new connection) the NVRAM belongs to the disks the definition names (the
/// snapshot's variables with the reverted disks, the newer ones with the old disks), and no backup of it is left.
/// </summary>
public sealed class ExternalNvramFaultTests : ExternalSnapshotTest
{
    private const int SpareLength = 4096;
    private const byte NvramAtSnapshot = 0x5a;
    private const byte NvramAfter = 0xa5;

    [Test]
    public void ARevertFaultLeavesTheNvramWithItsDisks(
        [Values("external-revert:overlays", "external-revert:nvram", "external-revert:defined", "start:launched", "start:pid-recorded",
            "external-revert:reverted")] string step,
        [Values(Fault.Fails, Fault.ManagerKilled)] Fault fault)
    {
        WithSnapshotA();
        FaultInjection.Inject(Root, "nvram", step, fault, "revert");
        AssertNvramMatchesDisks(fault);
    }

    [Test]
    public void QemuKilledDuringARevertLeavesTheNvramWithItsDisks(
        [Values("external-revert:overlays", "start:launched", "start:pid-recorded", "external-revert:reverted")] string step)
    {
        WithSnapshotA();
        FaultInjection.Inject(Root, "nvram", step, Fault.QemuKilled, "revert");
        AssertNvramMatchesDisks(Fault.QemuKilled);
    }

    /// <summary>Reverts domain <c>vm</c> to snapshot <c>a</c>, paused (OVMF never runs, so the variables stay as written).</summary>
    internal static void Perform(QemuDomainDriver driver, string operation) =>
        driver.RevertToSnapshot(new SnapshotIdentity(driver.LookupDomainByName("vm"), "a"), SnapshotRevertFlags.Paused, null, default);

    private string Nvram => Path.Combine(Root, "domains", "vm", "nvram.fd");

    private long SpareOffset => new FileInfo(Nvram).Length - SpareLength;

    /// <summary>A paused UEFI guest: NVRAM spare area 0x5a and data 0xaa at snapshot <c>a</c>, then 0xa5 and 0xbb.</summary>
    private void WithSnapshotA()
    {
        var vm = DefineUefiVm();
        vm.Start(DomainStartFlags.Paused);
        WriteNvram(vm, NvramAtSnapshot);
        WriteData(vm, 0xaa);
        vm.CreateSnapshot(DiskOnly("a"), SnapshotCreateFlags.DiskOnly);
        WriteNvram(vm, NvramAfter);
        WriteData(vm, 0xbb);
    }

    private void WriteNvram(IVirtDomain vm, byte pattern) =>
        SnapshotProbeDisk.Write(SnapshotProbeMonitor.Of(vm), SnapshotProbeDisk.Node("libvirt-pflash1-format"), pattern, SpareOffset, SpareLength);

    private void AssertNvramMatchesDisks(Fault fault)
    {
        using var conn = Open();
        var vm = conn.LookupDomainByName("vm");
        if (!vm.IsActive)
        {
            vm.Start(DomainStartFlags.Paused);
        }

        vm.Destroy();
        int?[] data = DataOf(vm);
        int? nvram = SnapshotProbeDisk.Fill(Nvram, SpareOffset, SpareLength, "raw");
        Assert.Multiple(() =>
        {
            Assert.That(data, Is.EqualTo(new int?[] { 0xaa, 0xaa }).Or.EqualTo(new int?[] { 0xbb, 0xbb }), "the old or the reverted disks");
            Assert.That(nvram, Is.EqualTo(data[0] == 0xaa ? NvramAtSnapshot : NvramAfter), "the NVRAM of those disks");
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(Nvram)!, ".nvram.fd*"), Is.Empty, "no backup or temporary copy left");
            Assert.That(File.Exists(Path.Combine(Root, "domains", "vm", "snapshots", ".nvram-restore")), Is.False, "the restore is finished");
        });

        vm.LookupSnapshot("a").Revert(SnapshotRevertFlags.Paused);
        vm.Destroy();
        Assert.Multiple(() =>
        {
            Assert.That(DataOf(vm), Is.All.EqualTo(0xaa), "a revert to the snapshot works");
            Assert.That(SnapshotProbeDisk.Fill(Nvram, SpareOffset, SpareLength, "raw"), Is.EqualTo(NvramAtSnapshot), "with its NVRAM");
        });
        CheckFiles(vm, fault != Fault.Fails);
    }
}
