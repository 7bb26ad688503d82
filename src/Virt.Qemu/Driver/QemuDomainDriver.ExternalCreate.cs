using Virt.Conf;
using Virt.Drivers;
using Virt.Qemu.Driver.Live;
using Virt.Qemu.Driver.Nvram;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.Snapshots;
using Virt.Qemu.Qmp;
using Virt.Snapshot;
using Virt.Snapshot.Rules;

namespace Virt.Qemu.Driver;

/// <summary>
/// Creating external snapshots (the design in Driver/README.md). Every overlay is created natively before anything
/// uses it. Shut off: the persistent definition switches to the overlays. Running or paused: the overlays are added to
/// QEMU and one <c>transaction</c> of <c>blockdev-snapshot</c> actions puts them on top of every disk at once (all or
/// nothing); the live and persistent definitions follow once it succeeded. A UEFI domain's NVRAM is copied with the
/// snapshot while the vCPUs are stopped (a running guest is paused for it). Before the switch a failure removes the
/// added nodes, the created overlays and the NVRAM copy, and resumes a guest that ran: nothing changed. After the
/// switch the domain stays on the overlays (the definitions are written first); the intent written before the switch
/// (<see cref="ExternalIntent"/>) lets the next job finish a create whose process failed or died after it.
/// </summary>
internal sealed partial class QemuDomainDriver
{
    private void CreateExternal(DomainIdentity domain, DomainView view, QmpClient? monitor, DomainState state, SnapshotDefinition created,
        DomainDefinition live, SnapshotCreateFlags flags, SnapshotMetadata metadata, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        SnapshotTargetRules.Check(created, live.Devices.Disks.ToList());
        if (monitor is not null && (flags & SnapshotCreateFlags.Quiesce) != 0)
        {
            // Virt has no guest agent channel yet, so no guest can be frozen (libvirt's qemuDomainAgentAvailable).
            throw new VirtException(VirtErrorCode.ArgumentUnsupported, "QEMU guest agent is not configured");
        }

        var overlays = ExternalOverlays.Plan(created, live, (flags & SnapshotCreateFlags.ReuseExternal) != 0);
        bool record = (flags & SnapshotCreateFlags.NoMetadata) == 0;
        string? nvram = record && NvramStore.HasNvram(live) && live.Os.Nvram?.Path is { } path && File.Exists(path) ? path : null;
        string copy = _root.SnapshotNvramFile(domain.Name, created.Name!);
        if (monitor is null)
        {
            CreateExternalOffline(view, created, overlays, nvram, copy, record, metadata);
            return;
        }

        bool manual = created.Disks.Any(d => d.Snapshot == SnapshotLocation.Manual);
        string? memory = created.Memory == SnapshotLocation.External ? created.MemoryFile : null;
        if (memory is not null && (flags & SnapshotCreateFlags.ReuseExternal) == 0 && File.Exists(memory))
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, $"memory snapshot file '{memory}' already exists");
        }

        // A memory save ends with the guest paused; without memory a running guest is paused only for the NVRAM copy or manual disks.
        bool pause = state == DomainState.Running && (nvram is not null || manual || memory is not null);
        var save = memory is null ? null : new MemorySave(memory, (flags & SnapshotCreateFlags.Live) != 0, progress, cancellationToken);
        var intent = new ExternalIntent(overlays, record ? created.ToXml() : null, pause && !manual && (flags & SnapshotCreateFlags.Halt) == 0);
        CreateExternalLive(domain, view, monitor, live, overlays, nvram, copy, pause, save, intent);
        try
        {
            Step?.Invoke("external-create:switched");
            if (record)
            {
                metadata.Tree.Add(created, makeCurrent: true, metadata.Store);
                ExternalIntent.End(_root.SnapshotFolder(view.Name));
            }

            Step?.Invoke("external-create:recorded");
            if ((flags & SnapshotCreateFlags.Halt) != 0)
            {
                StopFromSnapshot(Load(domain), monitor);
                return;
            }
        }
        catch
        {
            if (pause && !manual)
            {
                TryResumeAfterSave(domain, monitor, DomainState.Running);
            }

            throw;
        }

        // Manual disks: the user snapshots them now and resumes the guest (libvirt leaves it paused).
        if (pause && !manual)
        {
            ResumeAfterSave(domain, monitor, DomainState.Running);
            Step?.Invoke("external-create:resumed");
        }
    }

    /// <summary>A shut-off domain: overlays, NVRAM copy, persistent definition, metadata; undone before the metadata on failure.</summary>
    private void CreateExternalOffline(DomainView view, SnapshotDefinition created, List<ExternalOverlay> overlays, string? nvram, string copy,
        bool record, SnapshotMetadata metadata)
    {
        string folder = _root.SnapshotFolder(view.Name);
        ExternalPending.Begin(folder, overlays.Where(o => !o.Reused).Select(o => o.Path).Concat(nvram is null ? [] : [copy]));
        ExternalMadeFiles.Add(folder, overlays.Where(o => !o.Reused).Select(o => o.Path));
        ExternalOverlays.Create(overlays, () => Step?.Invoke("external-create:overlay"));
        bool defined = false;
        try
        {
            CaptureNvram(nvram, copy);
            _files.WriteConfig(ExternalOverlays.Switch(view.Config!, overlays));
            defined = true;
            Step?.Invoke("external-create:defined");
            if (record)
            {
                metadata.Tree.Add(created, makeCurrent: true, metadata.Store);
            }
        }
        catch
        {
            if (defined)
            {
                _files.WriteConfig(view.Config!);
            }

            UndoExternalCreate(overlays, nvram, copy);
            ExternalPending.End(folder);
            throw;
        }

        ExternalPending.End(folder);
        Step?.Invoke("external-create:recorded");
    }

    /// <summary>A running or paused domain: overlays, (pause,) NVRAM copy, blockdev-add, one transaction, then the live and
    /// persistent definitions. A failure before the transaction succeeded undoes everything and resumes a paused guest.</summary>
    private void CreateExternalLive(DomainIdentity domain, DomainView view, QmpClient monitor, DomainDefinition live, List<ExternalOverlay> overlays,
        string? nvram, string copy, bool pause, MemorySave? save, ExternalIntent intent)
    {
        string folder = _root.SnapshotFolder(view.Name);
        ExternalPending.Begin(folder, overlays.Where(o => !o.Reused).Select(o => o.Path)
            .Concat(save is null ? [] : [save.File]).Concat(nvram is null ? [] : [copy]));
        ExternalMadeFiles.Add(folder, overlays.Where(o => !o.Reused).Select(o => o.Path));
        ExternalOverlays.Create(overlays, () => Step?.Invoke("external-create:overlay"));
        var added = new List<string>();
        bool paused = false;
        try
        {
            if (pause && save is not { Live: true })
            {
                Qemu(monitor.Stop);
                paused = true;
                PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventSuspendedDetail.FromSnapshot));
                Step?.Invoke("external-create:paused");
            }

            if (save is not null)
            {
                // LIVE: the guest runs while its RAM is copied and QEMU pauses it at the end.
                paused |= pause;
                Qemu(() => MemoryState.Save(monitor, save.File, save.Live, save.Progress, save.CancellationToken, StepHook("memory-save:")));
                if (save.Live && pause)
                {
                    PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventSuspendedDetail.FromSnapshot));
                }

                Step?.Invoke("external-create:memory");
            }

            CaptureNvram(nvram, copy);
            var command = QemuCommandLine.Build(live, RuntimePaths(domain.Name));
            var images = ExternalNodes.Current(monitor, SnapshotImages.Of(live, command), command);
            int index = ExternalNodes.NextIndex(monitor);
            var actions = new List<TransactionAction>();
            foreach (var overlay in overlays)
            {
                var options = ExternalNodes.AddOptions(overlay.Path, index);
                Qemu(() => monitor.BlockdevAdd(options));
                string node = ExternalNodes.NamesOf(index++).Format;
                added.Add(node);
                actions.Add(ExternalNodes.Snapshot(images.First(i => i.Name == overlay.Target && !i.IsNvram).Node, node));
            }

            Step?.Invoke("external-create:added");
            // A process killed after the transaction leaves QEMU on the overlays: the next job finishes the create from this.
            intent.Write(folder);
            Step?.Invoke("external-create:intent");
            Qemu(() => monitor.Transaction(actions));
        }
        catch
        {
            TryEndIntent(folder);
            foreach (string node in added)
            {
                TryBlockdevDel(monitor, node);
            }

            UndoExternalCreate(overlays, nvram, copy);
            if (save is not null)
            {
                TryDelete(save.File);
            }

            ExternalPending.End(folder);
            if (paused)
            {
                TryResumeAfterSave(domain, monitor, DomainState.Running);
            }

            throw;
        }

        Step?.Invoke("external-create:transaction");
        RecordSwitchedDisks(view, monitor, live, overlays);
        if (intent.SnapshotXml is null)
        {
            ExternalIntent.End(folder);
        }

        ExternalPending.End(folder);
    }

    /// <summary>After the transaction: the status (live XML, with the new backing chains, and the definition QEMU now
    /// runs) and the persistent definition (its disks that used the same files) name the overlays.</summary>
    private void RecordSwitchedDisks(DomainView view, QmpClient monitor, DomainDefinition live, List<ExternalOverlay> overlays)
    {
        var status = view.Status!;
        var next = ExternalOverlays.Switch(live, overlays);
        var chardevs = default(System.Text.Json.JsonElement);
        Qemu(() => chardevs = monitor.Query("query-chardev", QmpJsonContext.Default.JsonElement));
        var ptys = LiveDefinition.PtysOf(chardevs);
        var command = QemuCommandLine.Build(next, RuntimePaths(view.Name));
        string? started = status.DefinitionXml is { } xml ? ExternalOverlays.Switch(DomainDefinition.Parse(xml), overlays, onlySameSource: true).ToXml() : null;
        _files.WriteStatus(view.Name, status with
        {
            LiveXml = LiveDefinition.Format(next, status.Id, command, ptys, i => BackingChain(next.Devices.Disks[i])),
            DefinitionXml = started,
        });
        if (view.Config is { } config)
        {
            _files.WriteConfig(ExternalOverlays.Switch(config, overlays, onlySameSource: true));
        }
    }

    /// <summary>Before a snapshot job: cleans up after an external create or revert whose process died (<see cref="ExternalPending"/>).</summary>
    private void RecoverExternal(DomainView view, SnapshotTree tree, QmpClient? connected)
    {
        if (!File.Exists(Path.Combine(_root.SnapshotFolder(view.Name), ".external-pending")))
        {
            return;
        }

        var live = view.Status is { } status ? DomainDefinition.Parse(status.LiveXml) : null;

        // A process killed right after the transaction leaves QEMU on overlays the status does not name yet: never delete those.
        var inUse = new HashSet<string>(StringComparer.Ordinal);
        if (view.Status is { } running && (connected ?? TryConnectMonitor(running)) is { } monitor)
        {
            try
            {
                foreach (var block in monitor.QueryBlock())
                {
                    for (var image = block.Inserted?.Image; image is not null; image = image.BackingImage)
                    {
                        inUse.Add(ExternalReferences.Canonical(image.Filename));
                    }
                }
            }
            catch (Exception e) when (e is VirtException or QmpConnectionException)
            {
                return;
            }
            finally
            {
                if (connected is null)
                {
                    monitor.Dispose();
                }
            }
        }

        ExternalPending.Recover(_root.SnapshotFolder(view.Name),
            () => ExternalReferences.Of([live, view.Config], tree.List(), name => _root.SnapshotNvramFile(view.Name, name)), inUse);
    }

    /// <summary><see cref="Step"/> with a prefix for the steps of a helper, or null when there is no hook.</summary>
    private Action<string>? StepHook(string prefix) => Step is { } step ? s => step(prefix + s) : null;

    private void CaptureNvram(string? nvram, string copy)
    {
        if (nvram is not null)
        {
            NvramSnapshot.Capture(nvram, copy);
            Step?.Invoke("external-create:nvram");
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: the original error matters more.
        }
    }

    /// <summary>The memory part of an external snapshot: the file and LIVE.</summary>
    private sealed record MemorySave(string File, bool Live, IProgress<VirtProgress>? Progress, CancellationToken CancellationToken);

    private static void UndoExternalCreate(List<ExternalOverlay> overlays, string? nvram, string copy)
    {
        ExternalOverlays.Remove(overlays);
        if (nvram is not null)
        {
            try
            {
                File.Delete(copy);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left behind: the original error matters more.
            }
        }
    }

    private static void TryBlockdevDel(QmpClient monitor, string node)
    {
        try
        {
            monitor.BlockdevDel(node);
        }
        catch (Exception e) when (e is VirtException or QmpConnectionException)
        {
            // QEMU is gone or refuses: the node goes with it.
        }
    }
}
