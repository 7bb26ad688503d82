using Virt.Conf;
using Virt.Qemu.Driver.Live;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.Snapshots;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Images;
using Virt.Qemu.Qmp;
using Virt.Snapshot;

namespace Virt.Qemu.Driver;

/// <summary>
/// Deleting external snapshots (the design in Driver/README.md; <see cref="ExternalMergePlan"/> decides). Per
/// snapshot, as the tree removes it: when a disk's files merge, the snapshot is first marked
/// (<c>&lt;snapshotDeleteInProgress/&gt;</c> on its disks: from then on its point-in-time file may be part overwritten,
/// so a revert to it is refused and a new delete runs the merge again); then each disk merges. A commit: on a running
/// domain <c>block-commit</c> (active with pivot, or intermediate), otherwise <c>qemu-img commit</c>; the files still
/// backing onto the committed layer are rebased onto the file it went into (<c>qemu-img rebase -u</c>); then every
/// definition that named the layer names that file. A stream: <c>block-stream</c> into a layer QEMU has open,
/// <c>qemu-img rebase</c> for the others. QEMU's caches are flushed after each job. Only then does the metadata go, and
/// after it the files nothing references any more (the snapshot's memory file and NVRAM copy among them). A failure
/// or a kill on the way leaves every chain readable and every definition naming files that exist.
/// </summary>
internal sealed partial class QemuDomainDriver
{
    private const string MergeJobId = "virt-snapshot-merge";

    /// <summary>What the merges of one delete call share: the definitions as they change, QEMU, the metadata.</summary>
    private sealed class ExternalDeleteContext
    {
        public required string Name { get; init; }

        public required SnapshotMetadata Metadata { get; init; }

        public QmpClient? Monitor { get; init; }

        public DomainDefinition? Live { get; set; }

        public DomainDefinition? Persistent { get; set; }

        public IProgress<VirtProgress>? Progress { get; init; }

        public CancellationToken Cancellation { get; init; }

        public Dictionary<string, IReadOnlyList<string>> Candidates { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<DomainDefinition?> Definitions => [Live, Persistent];

        public List<SnapshotDefinition> Others(string name) => [.. Metadata.Tree.List().Where(s => s.Name != name)];
    }

    /// <summary>Plans every external snapshot a delete call removes, so a refusal comes before anything changes.</summary>
    private void CheckExternalDelete(ExternalDeleteContext context, string name, SnapshotDeleteFlags flags)
    {
        var tree = context.Metadata.Tree;
        var going = new List<SnapshotDefinition>();
        if ((flags & SnapshotDeleteFlags.ChildrenOnly) == 0)
        {
            going.Add(tree.Get(name));
        }

        if ((flags & (SnapshotDeleteFlags.Children | SnapshotDeleteFlags.ChildrenOnly)) != 0)
        {
            going.AddRange(tree.ListChildren(name, SnapshotListFlags.Descendants));
        }

        var tags = going.Where(s => !QemuSnapshotTargets.IsExternal(s)).Select(s => s.Name!).ToHashSet(StringComparer.Ordinal);
        foreach (var snapshot in going.Where(QemuSnapshotTargets.IsExternal))
        {
            _ = ExternalMergePlan.Of(snapshot, context.Others(snapshot.Name!), context.Definitions, n => _root.SnapshotNvramFile(context.Name, n), tags);
        }
    }

    /// <summary>The merges of external snapshot <paramref name="snapshot"/>, before its metadata goes.</summary>
    private void MergeExternal(ExternalDeleteContext context, SnapshotDefinition snapshot)
    {
        string name = snapshot.Name!;
        var plan = ExternalMergePlan.Of(snapshot, context.Others(name), context.Definitions, n => _root.SnapshotNvramFile(context.Name, n));
        var candidates = new List<string>(plan.Candidates);
        if (plan.Disks.Any(d => d.Kind != ExternalMergeKind.None))
        {
            var marked = snapshot with
            {
                Disks = [.. snapshot.Disks.Select(d => d.Snapshot == SnapshotLocation.External ? d with { DeleteInProgress = true } : d)],
            };
            context.Metadata.Tree.Update(marked, context.Metadata.Store);
            Step?.Invoke("external-delete:marked");
        }

        foreach (var disk in plan.Disks)
        {
            switch (disk.Kind)
            {
                case ExternalMergeKind.Commit:
                    Commit(context, disk);
                    candidates.Add(disk.Layers[0]);
                    break;
                case ExternalMergeKind.Stream:
                    Stream(context, disk);
                    break;
            }
        }

        context.Candidates[name] = candidates;
    }

    /// <summary>Commits the one layer above the point-in-time file into it, then renames it everywhere.</summary>
    private void Commit(ExternalDeleteContext context, ExternalMergeDisk disk)
    {
        string layer = disk.Layers[0];
        var monitor = context.Monitor;
        var liveChain = LiveChain(context, disk.Disk);
        if (monitor is not null && liveChain.Contains(layer))
        {
            string alias = QemuCommandLine.Build(context.Live!, RuntimePaths(context.Name)).Disks.First(d => d.Target == disk.Disk).Alias;
            var (root, rootFile) = ExternalMergeNodes.RootOf(monitor, alias);
            if (rootFile == layer)
            {
                // Once ready QEMU writes the guest's writes into both files, so the definitions switch before the pivot:
                // whichever side of it a crash falls, they name a file that holds everything.
                bool renamed = false;
                try
                {
                    Qemu(() => monitor.BlockCommitActive(MergeJobId, root, ExternalMergeNodes.NodeOf(monitor, disk.PointInTime), progress: context.Progress,
                        cancellationToken: context.Cancellation, beforePivot: () =>
                        {
                            RenameInDefinitions(context, layer, disk.PointInTime, disk.Format);
                            renamed = true;
                            Step?.Invoke("external-delete:ready");
                        }));
                }
                catch when (renamed)
                {
                    TryRenameBack(context, disk.PointInTime, layer);
                    throw;
                }

                string pivoted = ExternalMergeNodes.RootOf(monitor, alias).Node;
                Qemu(() => ExternalMergeNodes.Flush(monitor, pivoted));
                Step?.Invoke("external-delete:merged");
                ExternalMergeNodes.TryDelete(monitor, root, layer);
            }
            else if (rootFile != disk.PointInTime)
            {
                Qemu(() => monitor.BlockCommit(MergeJobId, root, ExternalMergeNodes.NodeOf(monitor, layer), ExternalMergeNodes.NodeOf(monitor, disk.PointInTime),
                    progress: context.Progress, cancellationToken: context.Cancellation));
                Qemu(() => ExternalMergeNodes.Flush(monitor, root));
                Step?.Invoke("external-delete:merged");
            }
            else
            {
                // An earlier delete pivoted but did not record it: the definitions follow QEMU now.
                RenameInDefinitions(context, layer, disk.PointInTime, disk.Format);
            }
        }
        else
        {
            context.Progress?.Report(new VirtProgress("qemu-img commit", 0, 1));
            QemuImage.Commit(layer, cancellationToken: context.Cancellation);
            context.Progress?.Report(new VirtProgress("qemu-img commit", 1, 1));
            Step?.Invoke("external-delete:merged");
        }

        // Files QEMU does not hold that still back onto the committed layer: it now reads the same as the file below.
        var refs = ExternalReferences.Of(context.Definitions, context.Metadata.Tree.List(), null);
        foreach (string above in refs.LayersAbove(layer))
        {
            if (monitor is null || !liveChain.Contains(above))
            {
                QemuImage.Rebase(above, disk.PointInTime, disk.Format, unsafeRebase: true, cancellationToken: context.Cancellation);
            }
        }

        Step?.Invoke("external-delete:rebased");
        RenameInDefinitions(context, layer, disk.PointInTime, disk.Format);
        Step?.Invoke("external-delete:renamed");
    }

    /// <summary>Streams the point-in-time file into every layer above it (offline ones first), so it can go.</summary>
    private void Stream(ExternalDeleteContext context, ExternalMergeDisk disk)
    {
        var monitor = context.Monitor;
        var liveChain = LiveChain(context, disk.Disk);
        foreach (string layer in disk.Layers.Where(l => monitor is null || !liveChain.Contains(l)))
        {
            context.Progress?.Report(new VirtProgress("qemu-img rebase", 0, 1));
            QemuImage.Rebase(layer, disk.Backing ?? string.Empty, disk.BackingFormat ?? "qcow2", cancellationToken: context.Cancellation);
            context.Progress?.Report(new VirtProgress("qemu-img rebase", 1, 1));
            Step?.Invoke("external-delete:rebased-branch");
        }

        foreach (string layer in disk.Layers.Where(l => monitor is not null && liveChain.Contains(l)))
        {
            string alias = QemuCommandLine.Build(context.Live!, RuntimePaths(context.Name)).Disks.First(d => d.Target == disk.Disk).Alias;
            var (root, rootFile) = ExternalMergeNodes.RootOf(monitor!, alias);
            string into = rootFile == layer ? root : ExternalMergeNodes.NodeOf(monitor!, layer);
            string? below = disk.Backing is { } backing ? ExternalMergeNodes.NodeOf(monitor!, backing) : null;
            Qemu(() => monitor!.BlockStream(MergeJobId, into, below, progress: context.Progress, cancellationToken: context.Cancellation));
            Qemu(() => ExternalMergeNodes.Flush(monitor!, root));
            Step?.Invoke("external-delete:streamed");
        }
    }

    /// <summary>The files of the live chain of disk <paramref name="target"/> (empty when the domain is off).</summary>
    private static HashSet<string> LiveChain(ExternalDeleteContext context, string target)
    {
        var chain = new HashSet<string>(StringComparer.Ordinal);
        if (context.Monitor is not null && context.Live?.Devices.Disks.FirstOrDefault(d => d.TargetDev == target) is { Source: { } source } disk)
        {
            chain.UnionWith(ExternalReferences.ChainOf(source, disk.DriverType));
        }

        return chain;
    }

    /// <summary>Every definition that names <paramref name="from"/> as a disk source names <paramref name="to"/>: the live one
    /// (status), the persistent one, and those of every snapshot.</summary>
    private void RenameInDefinitions(ExternalDeleteContext context, string from, string to, string format)
    {
        if (context.Live is { } live && Renamed(live, from, to, format) is { } nextLive)
        {
            var status = _files.ReadStatus(context.Name)!;
            var started = status.DefinitionXml is { } xml && Renamed(DomainDefinition.Parse(xml), from, to, format) is { } s ? s.ToXml() : status.DefinitionXml;
            var chardevs = default(System.Text.Json.JsonElement);
            Qemu(() => chardevs = context.Monitor!.Query("query-chardev", QmpJsonContext.Default.JsonElement));
            var command = QemuCommandLine.Build(nextLive, RuntimePaths(context.Name));
            _files.WriteStatus(context.Name, status with
            {
                LiveXml = LiveDefinition.Format(nextLive, status.Id, command, LiveDefinition.PtysOf(chardevs), i => BackingChain(nextLive.Devices.Disks[i])),
                DefinitionXml = started,
            });
            context.Live = nextLive;
        }

        if (context.Persistent is { } persistent && Renamed(persistent, from, to, format) is { } nextPersistent)
        {
            _files.WriteConfig(nextPersistent);
            context.Persistent = nextPersistent;
        }

        foreach (var snapshot in context.Metadata.Tree.List())
        {
            string? domainXml = RenamedXml(snapshot.DomainXml, from, to, format);
            string? inactiveXml = RenamedXml(snapshot.InactiveDomainXml, from, to, format);
            if (domainXml != snapshot.DomainXml || inactiveXml != snapshot.InactiveDomainXml)
            {
                context.Metadata.Tree.Update(snapshot with { DomainXml = domainXml, InactiveDomainXml = inactiveXml }, context.Metadata.Store);
            }
        }
    }

    /// <summary>On a failed pivot: the definitions name the layer QEMU still writes to again (best effort: with QEMU gone
    /// they may keep the file below, which the job had kept in step).</summary>
    private void TryRenameBack(ExternalDeleteContext context, string from, string to)
    {
        try
        {
            RenameInDefinitions(context, from, to, "qcow2");
        }
        catch (VirtException)
        {
            // QEMU went away with the job: the file below holds what the guest wrote.
        }
    }

    private static string? RenamedXml(string? xml, string from, string to, string format) =>
        xml is not null && Renamed(DomainDefinition.Parse(xml), from, to, format) is { } renamed ? renamed.ToXml() : xml;

    /// <summary>A copy of <paramref name="def"/> whose disks on <paramref name="from"/> use <paramref name="to"/>, or null when none does.</summary>
    private static DomainDefinition? Renamed(DomainDefinition def, string from, string to, string format)
    {
        var copy = def.Clone();
        bool changed = false;
        foreach (var disk in copy.Devices.Disks)
        {
            if (disk.Source is { } source && ExternalReferences.Canonical(source) == from)
            {
                disk.Source = to;
                disk.DriverType = format;
                changed = true;
            }
        }

        return changed ? copy : null;
    }

    /// <summary>After the metadata of <paramref name="snapshot"/> went: deletes the files it left that nothing references.
    /// Never throws (a file left behind is only space).</summary>
    private void CleanUpExternal(ExternalDeleteContext context, SnapshotDefinition snapshot)
    {
        if (!context.Candidates.Remove(snapshot.Name!, out var candidates))
        {
            return;
        }

        try
        {
            var refs = ExternalReferences.Of(context.Definitions, context.Others(snapshot.Name!), n => _root.SnapshotNvramFile(context.Name, n));
            foreach (string file in refs.Unreferenced(candidates))
            {
                File.Delete(file);
            }
        }
        catch (Exception e) when (e is VirtException or IOException or UnauthorizedAccessException)
        {
            // Left behind: the delete itself succeeded.
        }
    }

    /// <summary>Runs <see cref="MergeExternal"/> for every external snapshot the tree removes.</summary>
    private sealed class ExternalMergeHandler(QemuDomainDriver driver, ExternalDeleteContext context) : SnapshotChangeHandler
    {
        public override void Removing(SnapshotDefinition snapshot)
        {
            if (QemuSnapshotTargets.IsExternal(snapshot))
            {
                driver.MergeExternal(context, snapshot);
            }
        }
    }

    /// <summary>Runs <see cref="CleanUpExternal"/> after the store removed a snapshot's metadata.</summary>
    private sealed class ExternalCleanupHandler(QemuDomainDriver driver, ExternalDeleteContext context) : SnapshotChangeHandler
    {
        public override void Removing(SnapshotDefinition snapshot) => driver.CleanUpExternal(context, snapshot);
    }
}
