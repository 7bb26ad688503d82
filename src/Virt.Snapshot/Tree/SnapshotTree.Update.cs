namespace Virt.Snapshot;

/// <summary>Changing what an existing snapshot records, in place.</summary>
public sealed partial class SnapshotTree
{
    /// <summary>
    /// Replaces the definition of an existing snapshot without moving it: its parent, children, sibling order and
    /// whether it is current stay (unlike <see cref="Redefine"/>, which makes it its parent's newest child). For a
    /// driver's own bookkeeping, for example the files a snapshot's definition names after they were merged.
    /// </summary>
    /// <param name="snapshot">The new definition; its name must exist and its parent must be the same.</param>
    /// <param name="handler">Per-change work (<see cref="SnapshotChangeHandler.Saving"/> with isNew false).</param>
    /// <returns>The definition stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when there is no such snapshot;
    /// <see cref="VirtErrorCode.InvalidArg"/> when the parent differs; whatever the handler throws (nothing changed then).</exception>
    public SnapshotDefinition Update(SnapshotDefinition snapshot, SnapshotChangeHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var node = Node(RequireName(snapshot));
        if (node.Definition!.ParentName != snapshot.ParentName)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"an update cannot move snapshot {snapshot.Name} to another parent");
        }

        (handler ?? SnapshotChangeHandler.None).Saving(snapshot, isNew: false);
        node.Definition = snapshot;
        return snapshot;
    }
}
