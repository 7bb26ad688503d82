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
/// Creating internal snapshots: a running or paused domain through QEMU's <c>snapshot-save</c> job (VM state on the
/// first disk, every selected disk and a qcow2 NVRAM among the devices), a shut-off one with <c>qemu-img snapshot -c</c>
/// on every image; the metadata is written after the images hold the snapshot, so a failure or a crash before leaves
/// no metadata for a snapshot that does not exist.
/// </summary>
internal sealed partial class QemuDomainDriver
{
    private const string SaveJobId = "virt-snapshot-save";

    /// <inheritdoc/>
    public override SnapshotIdentity CreateSnapshot(DomainIdentity domain, string xml, SnapshotCreateFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var profile = QemuSnapshotProfile.Profile;
        SnapshotCreateFlagCheck.Check(flags, profile);
        DriverFlags.CheckRequired(flags, SnapshotCreateFlags.Quiesce, "VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE", SnapshotCreateFlags.DiskOnly, "VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY");
        bool redefine = (flags & SnapshotCreateFlags.Redefine) != 0;
        var parsed = SnapshotDefinition.Parse(xml, redefine ? SnapshotParseFlags.Redefine : SnapshotParseFlags.None);
        using var job = Job(domain.Name, "snapshot-create");
        ThrowIfCancelled(cancellationToken);
        var view = Settle(Load(domain));
        SnapshotCreateFlagCheck.CheckHalt(flags, view.IsPersistent);
        using var monitor = view.Status is { } running ? ConnectMonitor(running) : null;
        var state = monitor is null ? DomainState.Shutoff : QueryState(view, view.Status!, monitor).State;
        if (state == DomainState.Shutoff && view.Status is not null)
        {
            view = view with { Status = null };
        }

        SnapshotCreateValidation.Check(parsed, flags, state, profile);
        using var metadata = OpenSnapshots(domain.Name);
        var tree = metadata.Tree;
        RecoverExternal(view, tree, monitor);
        if (redefine)
        {
            var prepared = SnapshotRedefineRules.Prepare(tree, parsed with { CookieXml = null }, domain.Uuid, flags, profile);
            var stored = tree.Redefine(prepared, flags & (SnapshotCreateFlags.Current | SnapshotCreateFlags.DiskOnly), metadata.Store);
            return new SnapshotIdentity(domain, stored.Name!);
        }

        string name = parsed.Name!;
        if (tree.Contains(name))
        {
            throw new VirtException(VirtErrorCode.OperationFailed, $"domain moment {name} already exists");
        }

        var live = view.Status is { } status ? DomainDefinition.Parse(status.LiveXml) : view.Config!;
        string liveXml = live.ToXml();
        // The persistent definition is recorded when it differs from the one QEMU runs (its live XML adds runtime details).
        string started = view.Status?.DefinitionXml ?? liveXml;
        string? inactiveXml = view.Status is not null && view.Config?.ToXml() is { } config && config != started ? config : null;
        var created = SnapshotCreateDefaults.Complete(parsed, flags, profile, state, liveXml, inactiveXml, tree.CurrentName);
        if (QemuSnapshotTargets.IsExternal(created))
        {
            CreateExternal(domain, view, monitor, state, QemuSnapshotTargets.WithOverlayFormat(created), live, flags, metadata, progress, cancellationToken);
            return new SnapshotIdentity(domain, name);
        }

        var liveCommand = QemuCommandLine.Build(live, RuntimePaths(domain.Name));
        // After an external snapshot a disk's top node is an overlay's, not the one the command line named.
        var images = monitor is null ? SnapshotImages.Of(live, liveCommand) : ExternalNodes.Current(monitor, SnapshotImages.Of(live, liveCommand), liveCommand);
        var targets = QemuSnapshotTargets.Select(created, live, images);
        if (monitor is null)
        {
            TakeOffline(targets, name, cancellationToken);
        }
        else
        {
            TakeLive(domain, monitor, state, targets, name, progress, cancellationToken);
        }

        bool halted = false;
        try
        {
            try
            {
                Step?.Invoke("snapshot-create:taken");
                if ((flags & SnapshotCreateFlags.NoMetadata) == 0)
                {
                    tree.Add(created, makeCurrent: true, metadata.Store);
                }
            }
            catch
            {
                RemoveTakenSnapshot(monitor, targets, name);
                throw;
            }

            Step?.Invoke("snapshot-create:recorded");
            if ((flags & SnapshotCreateFlags.Halt) != 0 && monitor is not null)
            {
                StopFromSnapshot(view, monitor);
                halted = true;
            }
        }
        catch
        {
            TryResumeAfterSave(domain, monitor, state);
            throw;
        }

        if (!halted)
        {
            ResumeAfterSave(domain, monitor, state);
        }

        return new SnapshotIdentity(domain, name);
    }

    /// <summary>Takes the snapshot on a running or paused QEMU. A running guest is paused first, as libvirt does, and
    /// stays paused until the caller resumes it (after the metadata is written); a failed save resumes it.</summary>
    private void TakeLive(DomainIdentity domain, QmpClient monitor, DomainState state, List<SnapshotImage> targets, string name,
        IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            throw new VirtException(VirtErrorCode.ConfigUnsupported, "internal and full system snapshots require all disks to be selected for snapshot");
        }

        if (state == DomainState.Running)
        {
            Qemu(monitor.Stop);
            PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventSuspendedDetail.FromSnapshot));
        }

        try
        {
            Step?.Invoke("snapshot-create:paused");
            Qemu(() => monitor.SnapshotSave(SaveJobId, name, targets[0].Node, [.. targets.Select(t => t.Node)], progress, cancellationToken));
        }
        catch
        {
            TryResumeAfterSave(domain, monitor, state);
            throw;
        }
    }

    /// <summary>Takes the snapshot on a shut-off domain's images, one after another; a failure removes it again from those
    /// that took it.</summary>
    private void TakeOffline(List<SnapshotImage> targets, string name, CancellationToken cancellationToken)
    {
        var done = new List<SnapshotImage>();
        try
        {
            foreach (var image in targets)
            {
                QemuImage.CreateSnapshot(image.Path, name, cancellationToken: cancellationToken);
                done.Add(image);
                Step?.Invoke("snapshot-create:image");
            }
        }
        catch
        {
            RemoveTakenSnapshot(null, done, name);
            throw;
        }
    }

    /// <summary>Best effort: removes a snapshot just taken whose metadata could not be written.</summary>
    private void RemoveTakenSnapshot(QmpClient? monitor, List<SnapshotImage> images, string name)
    {
        try
        {
            if (monitor is not null)
            {
                monitor.SnapshotDelete(DeleteJobId, name, [.. images.Select(i => i.Node)]);
                return;
            }

            foreach (var image in images)
            {
                QemuImage.DeleteSnapshot(image.Path, name);
            }
        }
        catch (Exception e) when (e is VirtException or QmpConnectionException)
        {
            // The images keep a snapshot without metadata, like one taken with NO_METADATA; the original error matters more.
        }
    }

    /// <summary>Resumes a guest that ran before the save.</summary>
    private void ResumeAfterSave(DomainIdentity domain, QmpClient? monitor, DomainState state)
    {
        if (monitor is null || state != DomainState.Running)
        {
            return;
        }

        Qemu(monitor.Cont);
        PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventResumedDetail.Unpaused));
    }

    /// <summary>On a failure path: resumes a guest that ran before the save, without hiding the failure if QEMU is gone.</summary>
    private void TryResumeAfterSave(DomainIdentity domain, QmpClient? monitor, DomainState state)
    {
        try
        {
            ResumeAfterSave(domain, monitor, state);
        }
        catch (Exception e) when (e is VirtException or QmpConnectionException)
        {
            // QEMU is gone or refuses: the next call sees its state; the original error is what the caller needs.
        }
    }

    /// <summary>Ends QEMU after a snapshot taken with HALT: the domain is shut off (from snapshot).</summary>
    private void StopFromSnapshot(DomainView view, QmpClient monitor)
    {
        var status = view.Status!;
        _files.WriteStatus(view.Name, status with { Stopping = DomainShutoffReason.FromSnapshot });
        QemuProcessStop.Stop(status.Process!.Value, monitor, graceful: false);
        FinishStopped(view, DomainShutoffReason.FromSnapshot);
        PublishDomainEvent(DomainLifecycleEvent.Of(IdentityOf(view), DomainEventStoppedDetail.FromSnapshot));
    }

    private QemuRuntimePaths RuntimePaths(string name) =>
        new(_root.MonitorSocket(name), _root.PidFile(name), _root.LogFolder(name), Nvram: null, EventSocket: _root.EventSocket(name));
}
