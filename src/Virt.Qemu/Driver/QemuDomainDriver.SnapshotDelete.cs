using Virt.Conf;
using Virt.Drivers;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.Snapshots;
using Virt.Qemu.Images;
using Virt.Qemu.Qmp;
using Virt.Snapshot;

namespace Virt.Qemu.Driver;

/// <summary>
/// Deleting snapshots: the tree decides what goes and in which order (<see cref="SnapshotTree.Delete"/>: children
/// re-parented first, leaves before parents, current moved before the current snapshot goes, also when a later step
/// fails); for each snapshot that goes, its internal snapshot leaves every image holding it before its metadata does
/// (a <c>snapshot-delete</c> job while QEMU runs, <c>qemu-img snapshot -d</c> otherwise); an external snapshot's files
/// merge first (QemuDomainDriver.ExternalDelete.cs) and those nothing references any more go after its metadata.
/// METADATA_ONLY leaves the images and overlays (only an external snapshot's NVRAM copy, kept beside the metadata, goes).
/// </summary>
internal sealed partial class QemuDomainDriver
{
    private const string DeleteJobId = "virt-snapshot-delete";

    /// <inheritdoc/>
    public override void DeleteSnapshot(SnapshotIdentity snapshot, SnapshotDeleteFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        DriverFlags.CheckSupported(flags, QemuSnapshotProfile.DeleteFlags, QemuSnapshotProfile.DeleteFunction);
        var domain = snapshot.Domain;
        using var job = Job(domain.Name, "snapshot-delete");
        ThrowIfCancelled(cancellationToken);
        var view = Settle(Load(domain));
        using var metadata = OpenSnapshots(domain.Name);
        _ = metadata.Tree.Get(snapshot.Name);
        if ((flags & SnapshotDeleteFlags.MetadataOnly) != 0)
        {
            // Every file stays, as libvirt leaves a snapshot's files: the NVRAM copy too, so a redefine makes the snapshot whole again.
            metadata.Tree.Delete(snapshot.Name, flags, metadata.Store);
            return;
        }

        using var monitor = view.Status is { } status ? ConnectMonitor(status) : null;
        var def = view.Status is { } s ? DomainDefinition.Parse(s.LiveXml) : view.Config!;
        var external = new ExternalDeleteContext
        {
            Name = domain.Name, Metadata = metadata, Monitor = monitor, Live = view.Status is not null ? def : null, Persistent = view.Config,
            Progress = progress, Cancellation = cancellationToken,
        };
        CheckExternalDelete(external, snapshot.Name, flags);
        var command = QemuCommandLine.Build(def, RuntimePaths(domain.Name));
        var images = SnapshotImages.Of(def, command);
        var removal = new SnapshotImageRemoval(images, (tag, holding) =>
        {
            if (monitor is not null)
            {
                // After an external snapshot or a merge a disk's top node is not the one the command line named.
                var nodes = ExternalNodes.Current(monitor, holding, command).Select(i => i.Node).ToList();
                Qemu(() => monitor.SnapshotDelete(DeleteJobId, tag, nodes, progress, cancellationToken));
            }
            else
            {
                foreach (var image in holding)
                {
                    QemuImage.DeleteSnapshot(image.Path, tag, cancellationToken: cancellationToken);
                }
            }

            Step?.Invoke("snapshot-delete:images");
        });
        metadata.Tree.Delete(snapshot.Name, flags,
            SnapshotChangeHandler.Combine(removal, new ExternalMergeHandler(this, external), metadata.Store, new ExternalCleanupHandler(this, external)));
    }
}
