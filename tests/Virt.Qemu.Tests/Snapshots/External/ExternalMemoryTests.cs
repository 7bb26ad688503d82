namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>External snapshots with memory on real QEMU: the migration stream saved into the snapshot's memory file
/// (paused, or LIVE), the disks switched in the same stop, and a revert that loads the memory into a new QEMU started
/// with <c>-incoming defer</c> before any vCPU runs: the guest's RAM (pmemsave) and the disks are the snapshot's.</summary>
public sealed class ExternalMemoryTests : ExternalSnapshotTest
{
    [Test]
    public void APausedGuestsMemoryAndDisksComeBackInANewQemu()
    {
        var vm = DefineVm();
        vm.Start(DomainStartFlags.Paused);
        WriteData(vm, 0xaa);
        string ram = Ram(vm);
        string memory = Path.Combine(Images, "s1.mem");

        vm.CreateSnapshot($"<domainsnapshot><name>s1</name><memory snapshot='external' file='{memory}'/></domainsnapshot>");

        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Paused));
            Assert.That(new FileInfo(memory).Length, Is.GreaterThan(0));
            Assert.That(vm.LookupSnapshot("s1").GetXmlDescription(), Does.Contain("<state>paused</state>")
                .And.Contain($"<memory snapshot='external' file='{memory}'/>").And.Contain("<disk name='vda' snapshot='external' type='file'>"));
            Assert.That(ActiveFiles(vm), Is.EqualTo(new[] { Path.Combine(Images, "vm-a.s1"), Path.Combine(Images, "vm-b.s1") }));
        });
        CheckFiles(vm);

        vm.Resume();
        WriteData(vm, 0xbb);
        vm.LookupSnapshot("s1").Revert();

        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Paused), "the snapshot was taken paused");
            Assert.That(Ram(vm), Is.EqualTo(ram), "the guest's RAM is the snapshot's");
            Assert.That(DataOf(vm), Is.All.EqualTo(0xaa));
            Assert.That(File.Exists(Path.Combine(Images, "vm-a.s1")), Is.False, "the state left is removed");
        });
        CheckFiles(vm);
    }

    [Test]
    public void ALiveSnapshotOfARunningGuestRunsOnAndRevertsRunning()
    {
        var vm = DefineVm();
        vm.Start();
        WriteData(vm, 0xaa);
        string memory = Path.Combine(Images, "s1.mem");

        vm.CreateSnapshot($"<domainsnapshot><name>s1</name><memory snapshot='external' file='{memory}'/></domainsnapshot>", SnapshotCreateFlags.Live);

        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(vm.LookupSnapshot("s1").GetXmlDescription(), Does.Contain("<state>running</state>"));
        });
        WriteData(vm, 0xbb);
        vm.LookupSnapshot("s1").Revert();
        Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
        vm.Suspend();
        Assert.That(DataOf(vm), Is.All.EqualTo(0xaa));
        CheckFiles(vm);
    }

    [Test]
    public void AnExistingMemoryFileIsRefusedBeforeAnythingChanges()
    {
        var vm = DefineVm();
        vm.Start();
        string memory = Path.Combine(Images, "s1.mem");
        File.WriteAllText(memory, "mine");

        var ex = Assert.Throws<VirtException>(() => vm.CreateSnapshot($"<domainsnapshot><name>s1</name><memory snapshot='external' file='{memory}'/></domainsnapshot>"))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(File.ReadAllText(memory), Is.EqualTo("mine"));
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(ActiveFiles(vm), Is.EqualTo(DisksOf()));
        });
        File.Delete(memory);
        CheckFiles(vm);
    }
}
