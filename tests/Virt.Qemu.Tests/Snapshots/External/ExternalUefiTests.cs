namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>
/// The UEFI NVRAM with external snapshots (beyond libvirt): every external snapshot copies the domain's NVRAM (raw here,
/// as libvirt makes it) beside its metadata while the vCPUs are stopped, and a revert puts those bytes back before QEMU
/// starts. OVMF under TCG; the bytes written are in the variable store's spare area, which the firmware does not need.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExternalUefiTests : ExternalSnapshotTest
{
    private const int NvramLength = 4096;

    [Test]
    public void TheNvramIsCopiedWithTheSnapshotAndRestoredByTheRevert()
    {
        var (vm, nvram, disk) = DefineUefi();
        vm.Start(DomainStartFlags.Paused);
        long offset = new FileInfo(nvram).Length - NvramLength;
        var monitor = SnapshotProbeMonitor.Of(vm);
        SnapshotProbeDisk.Write(monitor, SnapshotProbeDisk.Node("libvirt-pflash1-format"), 0x5a, offset, NvramLength);
        byte[] atSnapshot = SnapshotProbeDisk.Read(nvram, offset, NvramLength, "raw");

        vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly);

        string copy = NvramCopy("s1");
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(copy), Is.EqualTo(File.ReadAllBytes(nvram)), "a byte copy of the NVRAM");
            Assert.That(File.GetUnixFileMode(copy), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Paused));
        });

        SnapshotProbeDisk.Write(monitor, SnapshotProbeDisk.Node("libvirt-pflash1-format"), 0xa5, offset, NvramLength);
        Assert.That(SnapshotProbeDisk.Fill(nvram, offset, NvramLength, "raw"), Is.EqualTo(0xa5), "the NVRAM changed");
        vm.LookupSnapshot("s1").Revert(SnapshotRevertFlags.Paused);

        Assert.Multiple(() =>
        {
            Assert.That(SnapshotProbeDisk.Read(nvram, offset, NvramLength, "raw"), Is.EqualTo(atSnapshot), "the NVRAM is back");
            Assert.That(BackingOf(ActiveFiles(vm)[0]), Is.EqualTo(disk));
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Paused));
        });
        vm.Destroy();
        ExternalFileCheck.Verify(vm, Root, Images);
    }

    [Test]
    public void ARunningUefiGuestIsPausedForTheCopyAndRunsOn()
    {
        var (vm, _, _) = DefineUefi();
        vm.Start();

        vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly);

        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(File.Exists(NvramCopy("s1")), Is.True);
        });
        vm.Destroy();
        ExternalFileCheck.Verify(vm, Root, Images);
    }

    private (IVirtDomain Vm, string Nvram, string Disk) DefineUefi() =>
        (DefineUefiVm(), Path.Combine(Root, "domains", "vm", "nvram.fd"), DisksOf()[0]);
}
