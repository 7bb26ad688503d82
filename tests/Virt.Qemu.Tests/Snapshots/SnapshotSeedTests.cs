using Microsoft.Extensions.Logging.Abstractions;
using Virt.Conf;
using Virt.Drivers;
using Virt.Qemu.Driver;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>The snapshot semantics of DESIGN.md (from the seeds), each on real QEMU.</summary>
public sealed class SnapshotSeedTests : SnapshotTest
{
    private const string S = "<domainsnapshot><name>s</name></domainsnapshot>";
    private const string T = "<domainsnapshot><name>t</name></domainsnapshot>";

    /// <summary>Seed 000: a disk the snapshot's metadata names whose image lacks the snapshot is an error raised before
    /// anything changes.</summary>
    [Test]
    public void ADiskWhoseImageLostTheSnapshotStopsTheRevertBeforeAnythingChanges()
    {
        var vm = DefineVm();
        vm.Start();
        Write(vm, 0xaa);
        var s = vm.CreateSnapshot(S);
        vm.CreateSnapshot(T);
        vm.Destroy();
        QemuImage.DeleteSnapshot(DisksOf()[1], "s");
        vm.Start();
        Write(vm, 0xbb);
        int? id = vm.Id;

        var ex = Assert.Throws<VirtException>(() => s.Revert())!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.Contain("disk 'vdb'").And.Contain("no internal snapshot 's'"));
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Running), "the guest runs on");
            Assert.That(vm.Id, Is.EqualTo(id), "in the same QEMU");
            Assert.That(vm.GetCurrentSnapshot().Name, Is.EqualTo("t"), "current is unchanged");
        });
        vm.Destroy();
        Assert.That(Holds("vm", 0xbb), Is.True, "no disk was reverted");
        Assert.That(Tags(DisksOf()[0]), Does.Contain("s"), "the other disk keeps its snapshot");
    }

    /// <summary>Seed 000: the VM state is loaded from the image whose own snapshot entry holds it, wherever it is (here
    /// the second disk, as a snapshot saved by hand and then redefined from XML).</summary>
    [Test]
    public void TheVmStateIsLoadedFromTheImageThatHoldsIt()
    {
        var vm = DefineVm();
        vm.Start(DomainStartFlags.Paused);
        Write(vm, 0xaa);
        string ram = Ram(vm);
        vm.MonitorCommand("""{"execute":"snapshot-save","arguments":{"job-id":"j","tag":"s","vmstate":"libvirt-2-format","devices":["libvirt-1-format","libvirt-2-format"]}}""");
        WaitForJob(vm, "j");
        Assert.That(QemuImage.ListSnapshots(DisksOf()[1]).Single().VmStateSize, Is.GreaterThan(0), "the VM state went to the second disk");
        string live = vm.GetXmlDescription(DomainXmlFlags.Inactive);
        var s = vm.CreateSnapshot($"<domainsnapshot><name>s</name><state>paused</state><creationTime>1</creationTime><memory snapshot='internal'/>{live}</domainsnapshot>",
            SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current);
        vm.Resume();
        Write(vm, 0xbb);

        s.Revert();

        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Paused));
            Assert.That(Ram(vm), Is.EqualTo(ram));
        });
        vm.Destroy();
        Assert.That(Holds("vm", 0xaa), Is.True);
    }

    /// <summary>Seed 002: a revert of a running domain takes the live definition from the snapshot but keeps the
    /// persistent definition the user changed since.</summary>
    [Test]
    public void RevertKeepsAPersistentDefinitionChangedSinceTheSnapshot()
    {
        var vm = DefineVm();
        vm.Start();
        var s = vm.CreateSnapshot(S);
        Conn.DefineDomain(VmXml(memoryMiB: 32, uuid: vm.Uuid));

        s.Revert();

        Assert.Multiple(() =>
        {
            Assert.That(MemoryMiBOf(vm.GetXmlDescription(DomainXmlFlags.Inactive)), Is.EqualTo(32), "the user's change is kept");
            Assert.That(MemoryMiBOf(vm.GetXmlDescription()), Is.EqualTo(16), "QEMU runs the snapshot's definition");
        });
    }

    /// <summary>Seed 002: a snapshot that recorded a persistent definition of its own restores it.</summary>
    [Test]
    public void RevertRestoresThePersistentDefinitionTheSnapshotRecorded()
    {
        var vm = DefineVm();
        vm.Start();
        Conn.DefineDomain(VmXml(memoryMiB: 32, uuid: vm.Uuid));
        var s = vm.CreateSnapshot(S);
        Assert.That(s.GetXmlDescription(), Does.Contain("<inactiveDomain"), "the snapshot recorded the persistent definition");
        Conn.DefineDomain(VmXml(memoryMiB: 48, uuid: vm.Uuid));

        s.Revert();

        Assert.That(MemoryMiBOf(vm.GetXmlDescription(DomainXmlFlags.Inactive)), Is.EqualTo(32));
    }

    /// <summary>Seed 003: the snapshot to load goes through the start path, and a start that fails leaves the metadata,
    /// the current snapshot and the disks as they were.</summary>
    [TestCase("start:recorded")]
    [TestCase("start:launched")]
    [TestCase("start:pid-recorded")]
    public void AFailedStartDuringARevertLeavesMetadataCurrentAndDisksAsTheyWere(string failingStep)
    {
        var vm = DefineVm();
        vm.Start();
        Write(vm, 0xaa);
        var s = vm.CreateSnapshot(S);
        Write(vm, 0xbb);
        vm.CreateSnapshot(T);
        vm.Destroy();
        string before = s.GetXmlDescription();
        var driver = new QemuDomainDriver(StateRoot.Embed(Root), NullLoggerFactory.Instance)
        {
            Step = step => _ = step == failingStep ? throw new IOException("injected at " + step) : 0,
        };

        Assert.Throws<IOException>(() => driver.RevertToSnapshot(new SnapshotIdentity(new DomainIdentity(vm.Name, vm.Uuid), "s"), SnapshotRevertFlags.None, null, default));

        Assert.Multiple(() =>
        {
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Shutoff));
            Assert.That(vm.GetCurrentSnapshot().Name, Is.EqualTo("t"));
            Assert.That(s.GetXmlDescription(), Is.EqualTo(before));
            Assert.That(vm.ListSnapshots().Select(x => x.Name).Order(), Is.EqualTo(new[] { "s", "t" }));
            Assert.That(Holds("vm", 0xbb), Is.True, "the disks are as they were");
        });
        AssertImagesClean();
        s.Revert();
        Assert.That(vm.GetCurrentSnapshot().Name, Is.EqualTo("s"), "the same revert works afterwards");
        vm.Destroy();
        Assert.That(Holds("vm", 0xaa), Is.True);
    }

    /// <summary>Seed 004: a delete that fails part way leaves the tree consistent and "current" cleared or moved, also
    /// when the current snapshot went before the failure.</summary>
    [Test]
    public void ADeleteThatFailsPartWayLeavesAConsistentTreeAndMovesCurrent()
    {
        var vm = DefineVm();
        foreach (string name in new[] { "a", "b", "c" })
        {
            vm.CreateSnapshot($"<domainsnapshot><name>{name}</name></domainsnapshot>");
        }

        int removals = 0;
        var driver = new QemuDomainDriver(StateRoot.Embed(Root), NullLoggerFactory.Instance)
        {
            Step = step => _ = step == "snapshot-delete:images" && ++removals == 2 ? throw new IOException("injected") : 0,
        };

        Assert.Throws<IOException>(() => driver.DeleteSnapshot(new SnapshotIdentity(new DomainIdentity(vm.Name, vm.Uuid), "a"), SnapshotDeleteFlags.Children, null, default));

        using var reopened = Open();
        var again = reopened.LookupDomainByName("vm");
        Assert.Multiple(() =>
        {
            Assert.That(again.ListSnapshots().Select(x => x.Name).Order(), Is.EqualTo(new[] { "a", "b" }), "c went; b's images lost it, its metadata stays");
            Assert.That(again.LookupSnapshot("b").GetParent().Name, Is.EqualTo("a"));
            Assert.That(again.HasCurrentSnapshot, Is.False, "current was cleared when c went (the delete's survivor is above a)");
            Assert.That(Tags(DisksOf()[0]), Is.EqualTo(new[] { "a" }));
            Assert.That(Tags(DisksOf()[1]), Is.EqualTo(new[] { "a" }));
        });
        AssertImagesClean();
        again.LookupSnapshot("b").Delete();
        Assert.That(again.ListSnapshots().Select(x => x.Name), Is.EqualTo(new[] { "a" }), "a metadata left without images is deleted like any other");
    }

    private static int MemoryMiBOf(string xml) => (int)(DomainDefinition.Parse(xml).MemoryKiB / 1024);

    private static void WaitForJob(IVirtDomain vm, string job)
    {
        for (int i = 0; i < 200; i++)
        {
            if (vm.MonitorCommand("""{"execute":"query-jobs"}""").Contains("\"concluded\"", StringComparison.Ordinal))
            {
                vm.MonitorCommand("{\"execute\":\"job-dismiss\",\"arguments\":{\"id\":\"" + job + "\"}}");
                return;
            }

            Thread.Sleep(50);
        }

        Assert.Fail("the job did not conclude");
    }
}
