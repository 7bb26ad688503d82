using Virt.Conf;
using Virt.Drivers;
using Virt.Qemu.Driver.Nvram;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.Snapshots;
using Virt.Qemu.Qmp;
using Virt.Snapshot;
using Virt.Snapshot.Rules;

namespace Virt.Qemu.Driver;

/// <summary>
/// Reverting to an external snapshot (seed 001, the design in Driver/README.md): a fresh overlay on every file the
/// snapshot recorded for its external disks (<c>&lt;file without suffix&gt;.&lt;unix time in µs&gt;</c>), created
/// before anything else changes; then the QEMU that runs is ended, the snapshot's NVRAM copy is put back, the
/// definitions switch to the snapshot's with the new overlays, and QEMU starts again when the plan says so. Only after
/// that succeeded does the snapshot become current, and the overlays of the state left that nothing references any more
/// are deleted. A failure on the way removes the new overlays and puts the old definition and NVRAM back.
/// </summary>
internal sealed partial class QemuDomainDriver
{
    private void RevertExternal(DomainIdentity domain, DomainView view, SnapshotMetadata metadata, SnapshotDefinition snap, SnapshotRevertFlags flags,
        IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        QmpClient? monitor = view.Status is { } running ? ConnectMonitor(running) : null;
        try
        {
            var state = DomainState.Shutoff;
            if (monitor is not null)
            {
                state = QueryState(view, view.Status!, monitor).State;
                if (state == DomainState.Shutoff)
                {
                    monitor.Dispose();
                    monitor = null;
                    view = view with { Status = null };
                }
            }

            var plan = SnapshotRevertPlanner.Plan(snap, domain.Name, state, view.IsPersistent, flags, QemuSnapshotProfile.Profile);
            if (snap.Disks.FirstOrDefault(d => d.DeleteInProgress) is { } merging)
            {
                // Its point-in-time file may be part overwritten by the merge (QemuDomainDriver.ExternalDelete).
                throw new VirtException(VirtErrorCode.OperationInvalid, $"snapshot disk '{merging.Name}' was target of not completed snapshot delete");
            }

            if (snap.DomainXml is null)
            {
                throw new VirtException(VirtErrorCode.OperationUnsupported, $"snapshot '{snap.Name}' records no domain definition; its files are unknown, so it cannot be reverted to");
            }

            string? memory = plan.LoadsMemory ? snap.MemoryFile : null;
            if (plan.LoadsMemory && (snap.Memory != SnapshotLocation.External || memory is null || !File.Exists(memory)))
            {
                throw new VirtException(VirtErrorCode.OperationFailed, $"the memory state of snapshot '{snap.Name}' ('{memory}') is missing; nothing was reverted");
            }

            var overlays = RevertOverlays(snap, DomainDefinition.Parse(snap.DomainXml));
            var current = view.Status is { } status ? DomainDefinition.Parse(status.LiveXml) : view.Config!;
            var persistent = plan.PersistentDefinitionXml is { } p ? DomainDefinition.Parse(p) : view.Config;
            var persistentNext = view.IsPersistent && persistent is not null ? ExternalOverlays.Switch(persistent, overlays) : null;
            var next = plan.LiveDefinitionXml is { } l ? ExternalOverlays.Switch(DomainDefinition.Parse(l), overlays) : persistentNext ?? ExternalOverlays.Switch(current, overlays);
            next.Uuid ??= domain.Uuid;
            DomainStateInfo? target = plan.TargetState is { } t ? StartReason(snap, new DomainStateInfo(t, plan.TargetReason)) : null;
            string folder = _root.SnapshotFolder(domain.Name);
            var leaving = new ExternalLeftFiles([current, view.Config], metadata.Tree, ExternalMadeFiles.Read(folder));
            string copy = _root.SnapshotNvramFile(domain.Name, snap.Name!);
            string? nvram = NvramStore.HasNvram(next) && next.Os.Nvram?.Path is { } path && File.Exists(copy) ? path : null;
            bool wasActive = monitor is not null;

            ExternalPending.Begin(folder, overlays.Select(o => o.Path).Concat(leaving.Listed));
            ExternalMadeFiles.Add(folder, overlays.Select(o => o.Path));
            ExternalOverlays.Create(overlays, () => Step?.Invoke("external-revert:overlay"));
            NvramSnapshotRestore? restored = null;
            bool defined = false;
            bool launched = false;
            try
            {
                Step?.Invoke("external-revert:overlays");
                if (monitor is not null)
                {
                    StopForRevert(view, monitor);
                    monitor.Dispose();
                    monitor = null;
                }

                if (nvram is not null)
                {
                    restored = NvramSnapshot.Restore(copy, nvram, folder, persistentNext?.ToXml());
                    Step?.Invoke("external-revert:nvram");
                }

                if (persistentNext is not null)
                {
                    _files.WriteConfig(persistentNext);
                    defined = true;
                    Step?.Invoke("external-revert:defined");
                }

                if (target is { State: not DomainState.Shutoff })
                {
                    launched = true;
                    Action<QmpClient>? load = memory is null ? null : m => MemoryState.Restore(m, memory, progress, cancellationToken, StepHook("memory-load:"));
                    Launch(next, transient: !view.IsPersistent, target.Value, load, cancellationToken, incoming: memory is not null);
                }

                Step?.Invoke("external-revert:reverted");
                metadata.Tree.SetCurrent(snap.Name, metadata.Store);
            }
            catch
            {
                if (launched)
                {
                    TryEndLaunched(domain);
                }

                if (defined && view.Config is { } old)
                {
                    _files.WriteConfig(old);
                }

                restored?.Undo();
                ExternalOverlays.Remove(overlays);
                ExternalPending.End(folder);
                throw;
            }

            restored?.Commit();
            PublishRevertEvents(domain, wasActive, target);
            RemoveLeftFiles(domain, metadata.Tree, leaving);
            ExternalPending.End(folder);
        }
        finally
        {
            monitor?.Dispose();
        }
    }

    /// <summary>A fresh overlay on the point-in-time file of every external disk of the snapshot (named as libvirt
    /// upstream names them: the file without its suffix, a dot, the unix time in microseconds).</summary>
    private static List<ExternalOverlay> RevertOverlays(SnapshotDefinition snap, DomainDefinition embedded)
    {
        long stamp = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        var overlays = new List<ExternalOverlay>();
        foreach (var disk in snap.Disks.Where(d => d.Snapshot == SnapshotLocation.External))
        {
            var recorded = embedded.Devices.Disks.FirstOrDefault(d => d.TargetDev == disk.Name);
            if (recorded?.Source is not { } file)
            {
                throw new VirtException(VirtErrorCode.OperationFailed, $"disk '{disk.Name}' of snapshot '{snap.Name}' has no file in the snapshot's definition; nothing was reverted");
            }

            if (!File.Exists(file))
            {
                throw new VirtException(VirtErrorCode.OperationFailed, $"file '{file}' of disk '{disk.Name}' of snapshot '{snap.Name}' is missing; nothing was reverted");
            }

            string overlay;
            do
            {
                overlay = SnapshotExternalNames.WithoutSuffix(Path.GetFullPath(file)) + "." + (stamp++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            while (File.Exists(overlay) || overlays.Any(o => o.Path == overlay));

            overlays.Add(new ExternalOverlay(disk.Name, Path.GetFullPath(file), recorded.DriverType ?? "raw", overlay, Reused: false));
        }

        return overlays;
    }

    /// <summary>After a revert: deletes the files of the state left that nothing references now
    /// (<see cref="ExternalLeftFiles"/>; nothing when a chain cannot be followed).</summary>
    private void RemoveLeftFiles(DomainIdentity domain, SnapshotTree tree, ExternalLeftFiles left)
    {
        var view = Load(domain);
        var live = view.Status is { } status ? DomainDefinition.Parse(status.LiveXml) : null;
        var refs = ExternalReferences.Of([live, view.Config], tree.List(), name => _root.SnapshotNvramFile(domain.Name, name));
        foreach (string file in left.Unreferenced(refs))
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The revert succeeded; a file that cannot be removed only wastes space.
            }
        }
    }

    /// <summary>On a failed revert: ends the QEMU just started (the domain is shut off then).</summary>
    private void TryEndLaunched(DomainIdentity domain)
    {
        try
        {
            var view = Load(domain);
            if (view.Status is { Process: { } process })
            {
                QemuProcessStop.Stop(process, null, graceful: false);
                FinishStopped(view, DomainShutoffReason.FromSnapshot);
            }
        }
        catch (VirtException)
        {
            // The original error matters more; the next call sees QEMU's state.
        }
    }
}
