using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>Creating external snapshots on real QEMU: the files, the definitions, the data, what is refused.</summary>
public sealed class ExternalSnapshotCreateTests : ExternalSnapshotTest
{
    [Test]
    public void AShutOffDomainSwitchesToOverlaysNamedAsLibvirtNamesThem()
    {
        var vm = DefineVm();
        WriteData(vm, 0xaa);
        string[] bases = DisksOf();

        var snapshot = vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly);

        string[] overlays = [Path.Combine(Images, "vm-a.s1"), Path.Combine(Images, "vm-b.s1")];
        WriteData(vm, 0xbb);
        Assert.Multiple(() =>
        {
            Assert.That(ActiveFiles(vm), Is.EqualTo(overlays));
            Assert.That(overlays.Select(BackingOf), Is.EqualTo(bases));
            Assert.That(bases.Select(DataOf), Is.All.EqualTo(0xaa), "the snapshot's files are frozen");
            Assert.That(overlays.Select(DataOf), Is.All.EqualTo(0xbb));
            Assert.That(snapshot.GetXmlDescription(), Does.Contain("<state>shutoff</state>")
                .And.Contain($"<disk name='vda' snapshot='external' type='file'>\n      <driver type='qcow2'/>\n      <source file='{overlays[0]}'/>"));
            Assert.That(vm.GetXmlDescription(DomainXmlFlags.Inactive), Does.Contain("<driver name='qemu' type='qcow2'/>"));
        });
        CheckFiles(vm);
    }

    [Test]
    public void ARunningDomainSwitchesEveryDiskAtOnceAndRunsOn()
    {
        var vm = DefineVm();
        vm.Start();
        WriteData(vm, 0xaa);

        vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly);

        WriteData(vm, 0xbb);
        string live = vm.GetXmlDescription();
        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(ActiveFiles(vm), Is.EqualTo(new[] { Path.Combine(Images, "vm-a.s1"), Path.Combine(Images, "vm-b.s1") }));
            Assert.That(ActiveFiles(vm, DomainXmlFlags.Inactive), Is.EqualTo(ActiveFiles(vm)), "the persistent definition follows");
            Assert.That(live, Does.Contain($"<backingStore type='file' index='"), "the live XML shows the backing chain");
            Assert.That(live, Does.Contain($"<source file='{DisksOf()[0]}'/>"));
            Assert.That(DisksOf().Select(DataOf), Is.All.EqualTo(0xaa), "the snapshot's files are frozen");
            Assert.That(DataOf(vm), Is.All.EqualTo(0xbb), "the guest writes to the overlays");
            Assert.That(vm.LookupSnapshot("s1").GetXmlDescription(), Does.Contain("<state>disk-snapshot</state>").And.Contain("<memory snapshot='no'/>"));
        });
        CheckFiles(vm);
        vm.Destroy();
        CheckFiles(vm);
    }

    [Test]
    public void APausedDomainStaysPausedAndAnInternalSnapshotAfterwardsGoesIntoTheOverlays()
    {
        var vm = DefineVm();
        vm.Start(DomainStartFlags.Paused);
        WriteData(vm, 0xaa);

        vm.CreateSnapshot(DiskOnly("e1"), SnapshotCreateFlags.DiskOnly);
        WriteData(vm, 0xbb);
        vm.CreateSnapshot("<domainsnapshot><name>i1</name></domainsnapshot>");
        WriteData(vm, 0xcc);

        string[] overlays = ActiveFiles(vm);
        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Paused));
            Assert.That(overlays.Select(Tags), Is.All.EqualTo(new[] { "i1" }), "the internal snapshot is in the active overlays");
            Assert.That(DisksOf().Select(Tags), Is.All.Empty, "and not in the frozen files");
            Assert.That(vm.LookupSnapshot("i1").GetParent().Name, Is.EqualTo("e1"));
        });

        vm.LookupSnapshot("i1").Revert(SnapshotRevertFlags.Paused);
        vm.Destroy();
        Assert.That(DataOf(vm), Is.All.EqualTo(0xbb), "the internal revert inside the overlays");
        CheckFiles(vm);
    }

    [Test]
    public void ADiskSpecifiedNoKeepsItsFile()
    {
        var vm = DefineVm();
        vm.Start();

        vm.CreateSnapshot("<domainsnapshot><name>s1</name><disks><disk name='vdb' snapshot='no'/></disks></domainsnapshot>", SnapshotCreateFlags.DiskOnly);

        Assert.Multiple(() =>
        {
            Assert.That(ActiveFiles(vm), Is.EqualTo(new[] { Path.Combine(Images, "vm-a.s1"), DisksOf()[1] }));
            Assert.That(vm.LookupSnapshot("s1").GetXmlDescription(), Does.Contain("<disk name='vdb' snapshot='no'/>"));
        });
        CheckFiles(vm);
    }

    [Test]
    public void AManualDiskLeavesTheGuestPausedForTheUserAsLibvirtDoes()
    {
        var vm = DefineVm();
        vm.Start();

        vm.CreateSnapshot("<domainsnapshot><name>s1</name><disks><disk name='vdb' snapshot='manual'/></disks></domainsnapshot>", SnapshotCreateFlags.DiskOnly);

        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Paused), "the user snapshots vdb, then resumes");
            Assert.That(ActiveFiles(vm), Is.EqualTo(new[] { Path.Combine(Images, "vm-a.s1"), DisksOf()[1] }));
            Assert.That(vm.LookupSnapshot("s1").GetXmlDescription(), Does.Contain("<disk name='vdb' snapshot='manual'/>"));
        });
        vm.Resume();
        CheckFiles(vm);
    }

    [Test]
    public void ReuseExternalTakesAnOverlayOfTheDiskAsItIs()
    {
        var vm = DefineVm();
        string[] mine = [Path.Combine(Images, "mine-a.qcow2"), Path.Combine(Images, "mine-b.qcow2")];
        for (int i = 0; i < 2; i++)
        {
            QemuImage.CreateOverlay(mine[i], DisksOf()[i], "qcow2");
        }

        vm.CreateSnapshot($"""
            <domainsnapshot><name>s1</name><disks>
              <disk name='vda' snapshot='external'><source file='{mine[0]}'/></disk>
              <disk name='vdb' snapshot='external'><source file='{mine[1]}'/></disk>
            </disks></domainsnapshot>
            """, SnapshotCreateFlags.DiskOnly | SnapshotCreateFlags.ReuseExternal);

        Assert.That(ActiveFiles(vm), Is.EqualTo(mine));
        CheckFiles(vm);
    }

    [Test]
    public void AReusedFileThatIsNotAnOverlayOfTheDiskIsRefusedBeforeAnythingChanges()
    {
        var vm = DefineVm();
        vm.Start();
        string other = Path.Combine(Images, "other.qcow2");
        QemuImage.Create(other, 8 << 20);

        var ex = Assert.Throws<VirtException>(() => vm.CreateSnapshot(
            $"<domainsnapshot><name>s1</name><disks><disk name='vda' snapshot='external'><source file='{other}'/></disk><disk name='vdb' snapshot='no'/></disks></domainsnapshot>",
            SnapshotCreateFlags.DiskOnly | SnapshotCreateFlags.ReuseExternal))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.ConfigUnsupported));
            Assert.That(ex.Message, Does.Contain($"must be a qcow2 overlay whose backing file is '{DisksOf()[0]}'"));
            Assert.That(ActiveFiles(vm), Is.EqualTo(DisksOf()));
            Assert.That(vm.ListSnapshots(), Is.Empty);
        });
        File.Delete(other);
        CheckFiles(vm);
    }

    [Test]
    public void AnExistingFileWithoutReuseIsRefusedWithLibvirtsMessage()
    {
        var vm = DefineVm();
        string taken = Path.Combine(Images, "vm-a.s1");
        File.WriteAllText(taken, "someone's data");

        var ex = Assert.Throws<VirtException>(() => vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.ConfigUnsupported));
            Assert.That(ex.Message, Does.EndWith($"external snapshot file for disk vda already exists and is not a block device: {taken}"));
            Assert.That(File.ReadAllText(taken), Is.EqualTo("someone's data"));
            Assert.That(File.Exists(Path.Combine(Images, "vm-b.s1")), Is.False, "nothing was created");
            Assert.That(ActiveFiles(vm), Is.EqualTo(DisksOf()));
        });
    }

    [Test]
    public void QuiesceIsRefusedWithoutAGuestAgentAndWithoutDiskOnly()
    {
        var vm = DefineVm();
        vm.Start();

        var noAgent = Assert.Throws<VirtException>(() => vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.DiskOnly | SnapshotCreateFlags.Quiesce))!;
        var noDiskOnly = Assert.Throws<VirtException>(() => vm.CreateSnapshot(DiskOnly("s1"), SnapshotCreateFlags.Quiesce))!;

        Assert.Multiple(() =>
        {
            Assert.That((noAgent.Code, noAgent.Message), Is.EqualTo((VirtErrorCode.ArgumentUnsupported, "argument unsupported: QEMU guest agent is not configured")));
            Assert.That((noDiskOnly.Code, noDiskOnly.Message),
                Is.EqualTo((VirtErrorCode.InvalidArg, "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE'")));
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(vm.ListSnapshots(), Is.Empty);
        });
        CheckFiles(vm);
    }
}
