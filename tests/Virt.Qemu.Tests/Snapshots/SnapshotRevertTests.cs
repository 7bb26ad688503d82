using System.Collections.Concurrent;
using Virt.Conf;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>Which QEMU a revert uses, and the events it sends.</summary>
public sealed class SnapshotRevertTests : SnapshotTest
{
    private const string S = "<domainsnapshot><name>s</name></domainsnapshot>";

    [Test]
    public void ARunningDomainWhoseDefinitionChangedSinceTheSnapshotIsRevertedInANewQemu()
    {
        var vm = DefineVm();
        vm.Start(DomainStartFlags.Paused);
        Write(vm, 0xaa);
        string ram = Ram(vm);
        var s = vm.CreateSnapshot(S);
        vm.Destroy();
        Conn.DefineDomain(VmXml(memoryMiB: 32, uuid: vm.Uuid));
        vm.Start();
        Write(vm, 0xbb);
        int? id = vm.Id;

        s.Revert();

        Assert.Multiple(() =>
        {
            Assert.That(vm.Id, Is.Not.EqualTo(id), "another QEMU: the running one has another machine");
            Assert.That(DomainDefinition.Parse(vm.GetXmlDescription()).MemoryKiB, Is.EqualTo(16UL * 1024), "it runs the snapshot's definition");
            Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Paused));
            Assert.That(Ram(vm), Is.EqualTo(ram));
        });
        vm.Destroy();
        Assert.That(Holds("vm", 0xaa), Is.True);
    }

    // The reasons libvirt 9.0's QEMU driver gives (its daemon, virsh domstate --reason): a snapshot without memory
    // starts as a start does; one with memory is "from snapshot".
    [TestCase(false, SnapshotRevertFlags.Running, DomainState.Running, (int)DomainRunningReason.Booted)]
    [TestCase(true, SnapshotRevertFlags.Running, DomainState.Running, (int)DomainRunningReason.Booted)]
    [TestCase(true, SnapshotRevertFlags.Paused, DomainState.Paused, (int)DomainPausedReason.User)]
    [TestCase(false, SnapshotRevertFlags.Paused, DomainState.Paused, (int)DomainPausedReason.User)]
    [TestCase(true, SnapshotRevertFlags.None, DomainState.Running, (int)DomainRunningReason.FromSnapshot, true)]
    [TestCase(false, SnapshotRevertFlags.Paused, DomainState.Paused, (int)DomainPausedReason.FromSnapshot, true)]
    public void TheStateReasonAfterARevertIsLibvirts(bool fromRunning, SnapshotRevertFlags flags, DomainState state, int reason, bool withMemory = false)
    {
        var vm = DefineVm();
        if (withMemory)
        {
            vm.Start();
        }

        var s = vm.CreateSnapshot(S);
        if (withMemory)
        {
            vm.Destroy();
        }

        if (fromRunning)
        {
            vm.Start();
        }

        s.Revert(flags);

        Assert.That(vm.GetState(), Is.EqualTo(new DomainStateInfo(state, reason)));
    }

    [TestCase(DomainState.Running, true)]
    [TestCase(DomainState.Paused, true)]
    [TestCase(DomainState.Running, false)]
    public void RevertSendsLibvirtsFromSnapshotEvents(DomainState taken, bool fromRunning)
    {
        var vm = DefineVm();
        vm.Start(taken == DomainState.Paused ? DomainStartFlags.Paused : DomainStartFlags.None);
        var s = vm.CreateSnapshot(S);
        if (taken == DomainState.Paused)
        {
            vm.Resume();
        }

        if (!fromRunning)
        {
            vm.Destroy();
        }

        var seen = new BlockingCollection<string>();
        Conn.DomainLifecycle += (_, e) => seen.Add($"{e.Type} {e.Detail}");

        s.Revert();

        var expected = new List<string>();
        if (fromRunning)
        {
            expected.Add($"{DomainEventType.Stopped} {(int)DomainEventStoppedDetail.FromSnapshot}");
        }

        expected.Add($"{DomainEventType.Started} {(int)DomainEventStartedDetail.FromSnapshot}");
        if (taken == DomainState.Paused)
        {
            expected.Add($"{DomainEventType.Suspended} {(int)DomainEventSuspendedDetail.FromSnapshot}");
        }

        var got = new List<string>();
        while (got.Count < expected.Count && seen.TryTake(out string? e, TimeSpan.FromSeconds(10)))
        {
            got.Add(e);
        }

        Assert.That(got, Is.EqualTo(expected));
    }

    [Test]
    public void AnInPlaceRevertKeepsTheRuntimeDetailsOfTheLiveXml()
    {
        var vm = DefineVm();
        vm.Start();
        string live = vm.GetXmlDescription();
        var s = vm.CreateSnapshot(S);
        Write(vm, 0xbb);

        s.Revert();

        Assert.Multiple(() =>
        {
            Assert.That(live, Does.Contain("<alias name='virtio-disk0'/>"), "the start recorded runtime details");
            Assert.That(vm.GetXmlDescription(), Is.EqualTo(live), "the same QEMU, the same live XML, aliases and node names included");
        });
    }

    [Test]
    public void AnInPlaceRevertToAnotherDefinitionOfTheSameMachineDescribesItWithRuntimeDetails()
    {
        var vm = DefineVm();
        vm.Start();
        var s = vm.CreateSnapshot(S);
        vm.Destroy();
        Conn.DefineDomain(VmXml(uuid: vm.Uuid).Replace("<name>vm</name>", "<name>vm</name><title>changed</title>", StringComparison.Ordinal));
        vm.Start();
        int? id = vm.Id;
        string before = vm.GetXmlDescription();

        s.Revert();

        string after = vm.GetXmlDescription();
        Assert.Multiple(() =>
        {
            Assert.That(before, Does.Contain("<title>changed</title>"));
            Assert.That(vm.Id, Is.EqualTo(id), "reverted in place: the same QEMU");
            Assert.That(after, Does.Not.Contain("<title>"), "the snapshot's definition");
            Assert.That(after, Does.Contain("<alias name='virtio-disk0'/>").And.Contain("<alias name='virtio-disk1'/>"), "with the runtime details");
            Assert.That(after, Is.EqualTo(before.Replace("  <title>changed</title>\n", "", StringComparison.Ordinal)), "all else as QEMU runs it");
        });
    }
}
