using Virt.Conf;
using Virt.Drivers;
using Virt.Qemu.Driver.Snapshots;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Qmp;
using Virt.Snapshot;

namespace Virt.Qemu.Driver;

/// <summary>
/// Rolling an external create forward after its process died between the <c>transaction</c> and the metadata
/// (<see cref="ExternalIntent"/>): the next job on the domain asks QEMU (<c>query-block</c>) which files are the disks'
/// top images. On the new overlays, the create is finished as it would have finished: the status and the persistent
/// definition name the overlays, the snapshot's metadata is recorded, a guest it paused runs again. Still on the old
/// files, the intent is dropped (the next snapshot job removes the overlays through <see cref="ExternalPending"/>).
/// </summary>
internal sealed partial class QemuDomainDriver
{
    /// <summary>Under a job, before anything else looks at the domain: finishes or drops an interrupted external create.</summary>
    private DomainView FinishExternalIntent(DomainView view)
    {
        string folder = _root.SnapshotFolder(view.Name);
        FinishNvramRestore(view, folder);
        if (ExternalIntent.Read(folder) is not { } intent)
        {
            return view;
        }

        if (view.Status is not { IsQemuAlive: true } status)
        {
            // QEMU is gone with whatever it wrote: the files the definitions name are the state there is.
            ExternalIntent.End(folder);
            return view;
        }

        using var monitor = TryConnectMonitor(status);
        if (monitor is null)
        {
            return view;
        }

        var tops = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var block in monitor.QueryBlock())
            {
                if (block.Inserted?.Image is { } image)
                {
                    tops.Add(ExternalReferences.Canonical(image.Filename));
                }
            }
        }
        catch (VirtException)
        {
            return view;
        }

        try
        {
            if (intent.Overlays.Count > 0 && intent.Overlays.All(o => tops.Contains(ExternalReferences.Canonical(o.Path))))
            {
                RollForward(view, status, monitor, intent);
            }
        }
        catch (Exception e) when (e is VirtException or IOException or UnauthorizedAccessException)
        {
            // Never in the way of the job: what could not be finished stays as it is (QEMU on the overlays, the snapshot
            // without metadata, as NO_METADATA would leave it).
        }

        ExternalIntent.End(folder);
        return Load(IdentityOf(view));
    }

    /// <summary>QEMU runs on the intent's overlays: the status, the persistent definition and the metadata follow, and a
    /// guest the create paused runs again.</summary>
    private void RollForward(DomainView view, DomainStatus status, QmpClient monitor, ExternalIntent intent)
    {
        RecordSwitchedDisks(view, monitor, DomainDefinition.Parse(status.LiveXml), [.. intent.Overlays]);
        if (intent.SnapshotXml is { } xml)
        {
            using var metadata = OpenSnapshots(view.Name);
            var snapshot = SnapshotDefinition.Parse(xml, SnapshotParseFlags.Redefine);
            if (!metadata.Tree.Contains(snapshot.Name!))
            {
                metadata.Tree.Add(snapshot, makeCurrent: true, metadata.Store);
            }
        }

        if (intent.Resume && monitor.QueryStatus().Status is "paused" or "postmigrate")
        {
            ResumeAfterSave(IdentityOf(view), monitor, DomainState.Running);
        }
    }

    private static void TryEndIntent(string folder)
    {
        try
        {
            ExternalIntent.End(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left: the next job finds QEMU on the old files and drops it.
        }
    }
}
