using Virt.Conf;
using Virt.Drivers;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.Snapshots;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Images;
using Virt.Qemu.Qmp;
using Virt.Snapshot;
using Virt.Snapshot.Rules;

namespace Virt.Qemu.Driver;

/// <summary>
/// Reverting to an internal snapshot, as <see cref="SnapshotRevertPlanner"/> plans it. A snapshot with memory is loaded
/// with QEMU's <c>snapshot-load</c> job: in place (stop, load, then cont or stay paused) when QEMU runs a definition
/// whose command line is the snapshot's and the guest is not crashed; otherwise in a new QEMU started with <c>-S</c>,
/// loaded before any vCPU runs (never <c>-loadvm</c>). A snapshot without memory is applied to the stopped images with
/// <c>qemu-img snapshot -a</c>. The images are checked first (<see cref="RevertImages"/>); the persistent definition and
/// the current snapshot change only after the load succeeded.
/// </summary>
internal sealed partial class QemuDomainDriver
{
    private const string LoadJobId = "virt-snapshot-load";

    /// <summary>How long a revert waits for its own events to be handled before it remembers the state it made.</summary>
    private static readonly TimeSpan HandlersWait = TimeSpan.FromSeconds(2);

    private readonly RevertDefinitionMemo _revertMemo = new();

    /// <inheritdoc/>
    public override void RevertToSnapshot(SnapshotIdentity snapshot, SnapshotRevertFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var profile = QemuSnapshotProfile.Profile;
        SnapshotRevertPlanner.CheckFlags(flags, profile);
        OperationTrace.Begin("snapshot-revert");
        try
        {
            using var job = Job(snapshot.Domain.Name, "snapshot-revert");
            OperationTrace.Mark("job-lock");
            Revert(snapshot, flags, profile, progress, cancellationToken);
        }
        finally
        {
            OperationTrace.End();
        }
    }

    private void Revert(SnapshotIdentity snapshot, SnapshotRevertFlags flags, SnapshotDriverProfile profile, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        var domain = snapshot.Domain;
        ThrowIfCancelled(cancellationToken);
        var view = Settle(Load(domain));
        OperationTrace.Mark("load-view");
        using var metadata = OpenSnapshots(domain.Name);
        OperationTrace.Mark("open-metadata");
        RecoverExternal(view, metadata.Tree, null);
        var snap = metadata.Tree.Get(snapshot.Name);
        OperationTrace.Mark("recover-external");
        if (QemuSnapshotTargets.IsExternal(snap))
        {
            RevertExternal(domain, view, metadata, snap, flags, progress, cancellationToken);
            return;
        }

        QmpClient? monitor = view.Status is { } running ? ConnectMonitor(running) : null;
        var memory = monitor is null ? null : HeldMemory(domain.Name, monitor);
        long generation = memory?.Generation ?? 0;
        OperationTrace.Mark("connect-monitor");
        try
        {
            var state = DomainState.Shutoff;
            string? runStatus = null;
            Func<IReadOnlyList<BlockInfo>>? blocks = null;
            if (monitor is not null && memory?.TryRecall(domain.Uuid) is { Blocks: { } known } recalled && IsSafeToRevertInPlace(recalled.State))
            {
                // What this process settled with QEMU, unchanged since (see DomainMemory): QEMU is not asked again.
                state = recalled.State.State;
                runStatus = state == DomainState.Running ? "running" : "paused";
                blocks = () => known;
                OperationTrace.Mark("recall-state-block");
            }
            else if (monitor is not null)
            {
                // Asked with the run state, in one round trip: the disks' top nodes, which a load in place needs.
                var asked = monitor.QueryStatusAndBlocks();
                OperationTrace.Mark("query-status-block");
                string observed = asked.Status.Status;
                blocks = asked.Blocks;
                state = ApplyRunState(view, view.Status!, asked.Status, monitor).State;
                if (state == DomainState.Shutoff)
                {
                    monitor.Dispose();
                    monitor = null;
                    view = view with { Status = null };
                }
                else
                {
                    runStatus = observed;
                }
            }

            OperationTrace.Mark("query-state");
            var plan = SnapshotRevertPlanner.Plan(snap, domain.Name, state, view.IsPersistent, flags, profile);
            var persistent = plan.PersistentDefinitionXml is { } p ? DomainDefinition.Parse(p) : null;
            string? nextXml = plan.LiveDefinitionXml ?? plan.PersistentDefinitionXml;
            // Parsed only when needed: a revert to the same snapshot again finds its command line and images remembered.
            var nextDefinition = new Lazy<DomainDefinition>(() =>
            {
                var parsed = plan.LiveDefinitionXml is { } l ? DomainDefinition.Parse(l)
                    : persistent ?? view.Config ?? DomainDefinition.Parse(view.Status!.LiveXml);
                parsed.Uuid ??= domain.Uuid;
                return parsed;
            });
            OperationTrace.Mark("plan");
            var paths = RuntimePaths(domain.Name);
            QemuCommand command;
            IReadOnlyList<SnapshotImage> imagesOf;
            if (plan.LiveDefinitionXml is { } liveDefinition && persistent is null)
            {
                (command, imagesOf) = _revertMemo.CommandOf(liveDefinition, domain.Uuid, paths, () => nextDefinition.Value);
            }
            else
            {
                command = QemuCommandLine.Build(nextDefinition.Value, paths);
                imagesOf = SnapshotImages.Of(nextDefinition.Value, command);
            }

            OperationTrace.Mark("parse-build-command");
            var images = RevertImages.Find(snap, imagesOf);
            OperationTrace.Mark("qcow2-tables");
            ExternalFrozenFiles.CheckInternalRevert(metadata.Tree, snap.Name!, images.Devices);
            OperationTrace.Mark("check-frozen");
            DomainStateInfo? target = plan.TargetState is { } t ? StartReason(snap, new DomainStateInfo(t, plan.TargetReason)) : null;
            bool wasActive = monitor is not null;
            bool crashed = runStatus is "internal-error" or "guest-panicked" or "shutdown";
            if (plan.LoadsMemory && monitor is not null && !crashed
                && _revertMemo.ArgumentsOf(view.Status!.LiveXml, paths).SequenceEqual(command.Arguments, StringComparer.Ordinal))
            {
                // After an external snapshot a disk's top node is an overlay's, not the one the command line named.
                IReadOnlyList<BlockInfo> tops = [];
                OperationTrace.Mark("compare-command");
                Qemu(() => tops = blocks!());
                var devices = ExternalNodes.Current(tops, images.Devices, command);
                var vmstate = images.VmState is { } saved ? devices.First(d => d.Name == saved.Name) : null;
                OperationTrace.Mark("query-block-wait");
                string NextLiveXml() => _revertMemo.LiveXmlOf(nextXml, domain.Uuid, view.Status!.Id, () => nextDefinition.Value);
                RevertInPlace(view, monitor, state, NextLiveXml, snap.Name!, new RevertImages(devices, vmstate), target!.Value, progress, cancellationToken);
                if (memory is not null && memory.Connection.WaitForHandlers(HandlersWait))
                {
                    // A load changes no node: the next revert of this process needs neither query.
                    memory.Remember(generation, target.Value, tops);
                }

                OperationTrace.Mark("remember");
            }
            else
            {
                if (monitor is not null)
                {
                    StopForRevert(view, monitor);
                    monitor.Dispose();
                    monitor = null;
                }

                if (!plan.LoadsMemory)
                {
                    ApplyToImages(images, snap.Name!, cancellationToken);
                }

                if (target is { State: not DomainState.Shutoff })
                {
                    Action<QmpClient>? load = plan.LoadsMemory ? m => LoadSnapshot(m, snap.Name!, images, progress, cancellationToken) : null;
                    Launch(nextDefinition.Value, transient: !view.IsPersistent, target.Value, load, cancellationToken);
                }
            }

            Step?.Invoke("snapshot-revert:reverted");
            if (persistent is not null && view.IsPersistent)
            {
                _files.WriteConfig(persistent);
            }

            OperationTrace.Mark("write-config");
            metadata.Tree.SetCurrent(snap.Name, metadata.Store);
            OperationTrace.Mark("set-current");
            PublishRevertEvents(domain, wasActive, target);
            OperationTrace.Mark("publish-events");
        }
        finally
        {
            monitor?.Dispose();
            OperationTrace.Mark("dispose-monitor");
        }
    }

    /// <summary>Stop, load, then cont or stay paused, on the QEMU that runs. A failed load changes nothing (QEMU reverts
    /// nothing then): a guest that ran runs again. The stop stays although QEMU's load job would stop and resume the
    /// vCPUs itself: a vCPU resumed inside the job holds QEMU's main loop off the job's last steps and the dismiss
    /// (0.5-7 ms more in one revert of three under TCG, measured), while after a stop the job ends at once.</summary>
    private void RevertInPlace(DomainView view, QmpClient monitor, DomainState state, Func<string> nextLiveXml, string tag, RevertImages images,
        DomainStateInfo target, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        var status = view.Status!;
        if (state == DomainState.Running)
        {
            Qemu(monitor.Stop);
        }

        OperationTrace.Mark("stop");

        try
        {
            Step?.Invoke("snapshot-revert:stopped");
            if (target.State == DomainState.Running)
            {
                // cont goes out with the load job's dismiss, once the load succeeded.
                Qemu(() => monitor.SnapshotLoadThenCont(LoadJobId, tag, images.VmState!.Node, NodesOf(images), progress, cancellationToken));
            }
            else
            {
                LoadSnapshot(monitor, tag, images, progress, cancellationToken);
            }
        }
        catch
        {
            if (state == DomainState.Running)
            {
                TryCont(monitor);
            }

            throw;
        }

        Step?.Invoke("snapshot-revert:loaded");
        OperationTrace.Mark("cont");
        string liveXml = nextLiveXml();
        OperationTrace.Mark("live-xml");
        if (status.State != target.State || status.Reason != target.Reason || status.LiveXml != liveXml)
        {
            _files.WriteStatus(view.Name, status with { State = target.State, Reason = target.Reason, LiveXml = liveXml });
        }

        OperationTrace.Mark("write-status");
    }

    /// <summary>Whether a remembered state lets a revert in place go on without asking QEMU: running, or paused by a
    /// user or a snapshot (a guest paused by an error, a crash or a shutdown is asked about, as it may not be loaded in place).</summary>
    private static bool IsSafeToRevertInPlace(DomainStateInfo state) =>
        state.State == DomainState.Running
        || (state.State == DomainState.Paused && state.Reason is (int)DomainPausedReason.User or (int)DomainPausedReason.FromSnapshot);

    private static void TryCont(QmpClient monitor)
    {
        try
        {
            Qemu(monitor.Cont);
        }
        catch (VirtException)
        {
            // QEMU is gone or refuses: the next call sees its state; the original error is what the caller needs.
        }
    }

    private static void LoadSnapshot(QmpClient monitor, string tag, RevertImages images, IProgress<VirtProgress>? progress, CancellationToken cancellationToken) =>
        Qemu(() => monitor.SnapshotLoad(LoadJobId, tag, images.VmState!.Node, NodesOf(images), progress, cancellationToken));

    private static string[] NodesOf(RevertImages images) => [.. images.Devices.Select(d => d.Node)];

    /// <summary>Reverts the stopped images of a snapshot without memory, one after another.</summary>
    private void ApplyToImages(RevertImages images, string tag, CancellationToken cancellationToken)
    {
        foreach (var image in images.Devices)
        {
            QemuImage.ApplySnapshot(image.Path, tag, cancellationToken: cancellationToken);
            Step?.Invoke("snapshot-revert:image");
        }
    }

    /// <summary>Ends the QEMU a revert replaces; the domain is shut off (from snapshot) until the revert starts it again.</summary>
    private void StopForRevert(DomainView view, QmpClient monitor)
    {
        var status = view.Status!;
        _files.WriteStatus(view.Name, status with { Stopping = DomainShutoffReason.FromSnapshot });
        QemuProcessStop.Stop(status.Process!.Value, monitor, graceful: false);
        Step?.Invoke("snapshot-revert:stopped");
        FinishStopped(view, DomainShutoffReason.FromSnapshot);
    }

    /// <summary>libvirt 9.0's QEMU driver starts a domain reverted to a snapshot without memory as any start: running
    /// (booted) or paused (user), where the shared plan says "from snapshot" (as the test driver does); checked against
    /// its daemon here.</summary>
    private static DomainStateInfo StartReason(SnapshotDefinition snapshot, DomainStateInfo target) => (snapshot.IsOnline, target.State) switch
    {
        (false, DomainState.Running) => new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Booted),
        (false, DomainState.Paused) => new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User),
        _ => target,
    };

    /// <summary>The events libvirt sends for a revert: stopped when the domain ran (even when it runs on), started when
    /// it runs afterwards, suspended when it ends paused; all "from snapshot".</summary>
    private void PublishRevertEvents(DomainIdentity domain, bool wasActive, DomainStateInfo? target)
    {
        if (wasActive)
        {
            PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventStoppedDetail.FromSnapshot));
        }

        if (target is { State: DomainState.Running or DomainState.Paused })
        {
            PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventStartedDetail.FromSnapshot));
            if (target.Value.State == DomainState.Paused)
            {
                PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventSuspendedDetail.FromSnapshot));
            }
        }
    }
}
