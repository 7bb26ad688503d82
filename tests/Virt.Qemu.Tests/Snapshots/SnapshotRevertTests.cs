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
}
