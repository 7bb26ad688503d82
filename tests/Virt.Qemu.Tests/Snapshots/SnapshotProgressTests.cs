using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>Issue 10 item 4 on real QEMU: create, revert and delete of a running domain report QEMU's job progress through
/// the caller's <see cref="IProgress{T}"/>, and a cancelled token stops each before anything changes.</summary>
public sealed class SnapshotProgressTests : SnapshotTest
{
    private const string S = "<domainsnapshot><name>s</name></domainsnapshot>";

    [Test]
    public void CreateRevertAndDeleteReportTheirQemuJobToTheEnd()
    {
        var vm = DefineVm();
        vm.Start();

        var created = new Recorder();
        var snapshot = vm.CreateSnapshot(S, SnapshotCreateFlags.None, created);
        var reverted = new Recorder();
        snapshot.Revert(SnapshotRevertFlags.None, reverted);
        var deleted = new Recorder();
        snapshot.Delete(SnapshotDeleteFlags.None, deleted);

        Assert.Multiple(() =>
        {
            AssertFinished(created, "snapshot-save");
            AssertFinished(reverted, "snapshot-load");
            AssertFinished(deleted, "snapshot-delete");
        });
    }

    [Test]
    public void ACancelledTokenLeavesARunningDomainAndItsSnapshotsAsTheyWere()
    {
        var vm = DefineVm();
        vm.Start();
        Write(vm, 0x11);
        var snapshot = vm.CreateSnapshot(S);
        Write(vm, 0x22);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var seen = new System.Collections.Concurrent.BlockingCollection<DomainEventType>();
        Conn.DomainLifecycle += (_, e) => seen.Add(e.Type);

        var create = Assert.Throws<VirtException>(() => vm.CreateSnapshot("<domainsnapshot><name>t</name></domainsnapshot>", SnapshotCreateFlags.None, null, cancelled.Token));
        var revert = Assert.Throws<VirtException>(() => snapshot.Revert(SnapshotRevertFlags.None, null, cancelled.Token));
        var delete = Assert.Throws<VirtException>(() => snapshot.Delete(SnapshotDeleteFlags.None, null, cancelled.Token));

        vm.Suspend();
        Assert.That(seen.TryTake(out var first, TimeSpan.FromSeconds(10)), Is.True, "the suspend's event");
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(DomainEventType.Suspended), "the cancelled calls neither paused nor resumed the guest");
            Assert.That(seen, Is.Empty);
            foreach (var e in new[] { create, revert, delete })
            {
                Assert.That(e!.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
                Assert.That(e.Message, Is.EqualTo("operation aborted: snapshot job: canceled by client"));
            }

            Assert.That(vm.ListSnapshots().Select(s => s.Name), Is.EqualTo(new[] { "s" }), "nothing created, nothing deleted");
            Assert.That(vm.GetCurrentSnapshot().Name, Is.EqualTo("s"));
            Assert.That(DisksOf().Select(Tags), Is.All.EqualTo(new[] { "s" }), "no image took or lost a snapshot");
            Assert.That(Holds("vm", 0x22), Is.True, "the disks were not reverted");
        });
        AssertImagesClean();
    }

    private static void AssertFinished(Recorder recorder, string operation)
    {
        Assert.That(recorder.Reports, Is.Not.Empty, operation);
        var last = recorder.Reports[^1];
        Assert.That(last.Operation, Is.EqualTo(operation));
        Assert.That(last.Total, Is.GreaterThan(0), operation);
        Assert.That(last.Current, Is.EqualTo(last.Total), operation);
        Assert.That(recorder.Reports.Select(r => r.Operation), Is.All.EqualTo(operation));
    }

    /// <summary>Keeps every report on the calling thread (<see cref="Progress{T}"/> would post them elsewhere).</summary>
    private sealed class Recorder : IProgress<VirtProgress>
    {
        public List<VirtProgress> Reports { get; } = [];

        public void Report(VirtProgress value) => Reports.Add(value);
    }
}
