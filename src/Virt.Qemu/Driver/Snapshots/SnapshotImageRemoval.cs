using Virt.Snapshot;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// The driver's part of a snapshot delete: before the tree drops a snapshot, its internal snapshot is removed from every
/// image of the domain that holds one of that name (through <paramref name="remove"/>: QEMU's <c>snapshot-delete</c> job
/// while QEMU runs, <c>qemu-img snapshot -d</c> otherwise). A failure stops the delete there, with the tree consistent
/// (the metadata store comes after this handler).
/// </summary>
/// <param name="images">The domain's images.</param>
/// <param name="remove">Removes a tag from the given images (those that hold it).</param>
internal sealed class SnapshotImageRemoval(IReadOnlyList<SnapshotImage> images, Action<string, IReadOnlyList<SnapshotImage>> remove) : SnapshotChangeHandler
{
    /// <inheritdoc/>
    public override void Removing(SnapshotDefinition snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (QemuSnapshotTargets.IsExternal(snapshot))
        {
            // Its files merge in QemuDomainDriver.ExternalDelete.
            return;
        }

        string tag = snapshot.Name!;
        var holding = images.Where(i => SnapshotImages.Find(i, tag) is not null).ToList();
        if (holding.Count > 0)
        {
            remove(tag, holding);
        }
    }
}
