using Virt.Snapshot.Tree;

namespace Virt.Snapshot;

/// <summary>Deleting snapshots: plain, with children, children only, all.</summary>
public sealed partial class SnapshotTree
{
    /// <summary>
    /// Deletes a snapshot as libvirt does. Plain: its children move to its parent (each child is saved with its
    /// new parent first; in libvirt's sibling order they keep their order, in front of the parent's other
    /// children), then it goes. <see cref="SnapshotDeleteFlags.Children"/>: it and all descendants go,
    /// leaves first. <see cref="SnapshotDeleteFlags.ChildrenOnly"/>: only the descendants go.
    /// <see cref="SnapshotDeleteFlags.MetadataOnly"/> does not change what the tree does (the handler decides).
    /// When the current snapshot goes, current moves to the nearest snapshot that stays (the parent, or the
    /// snapshot itself with children-only), or is cleared at the top, even when the delete fails part way.
    /// </summary>
    /// <param name="name">The snapshot.</param>
    /// <param name="flags">What to delete.</param>
    /// <param name="handler">Per-change work.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when there is no such snapshot;
    /// whatever the handler throws.</exception>
    public void Delete(string name, SnapshotDeleteFlags flags = SnapshotDeleteFlags.None, SnapshotChangeHandler? handler = null)
    {
        handler ??= SnapshotChangeHandler.None;
        var node = Node(name);
        if ((flags & SnapshotDeleteFlags.ChildrenOnly) != 0)
        {
            RemoveSubtree(node, includeRoot: false, survivor: node, handler);
        }
        else if ((flags & SnapshotDeleteFlags.Children) != 0)
        {
            RemoveSubtree(node, includeRoot: true, survivor: node.Parent!, handler);
        }
        else
        {
            var newParent = node.Parent!;
            string? newParentName = newParent.IsMetaroot ? null : newParent.Name;
            while (node.FirstChild is { } child)
            {
                var moved = child.Definition! with { ParentName = newParentName };
                handler.Saving(moved, isNew: false);
                child.Definition = moved;
                child.Unlink();
                child.LinkTo(newParent);
            }

            RemoveLeaf(node, newParent, handler);
        }
    }

    /// <summary>
    /// Removes every snapshot (for example when the domain is undefined with its snapshot metadata), leaves first,
    /// clearing current first if it would go. A failure part way leaves a consistent, smaller tree.
    /// </summary>
    /// <param name="handler">Per-change work.</param>
    public void Clear(SnapshotChangeHandler? handler = null) =>
        RemoveSubtree(_metaroot, includeRoot: false, survivor: _metaroot, handler ?? SnapshotChangeHandler.None);

    /// <summary>Removes the subtree's nodes leaves first (post-order, iteratively).</summary>
    private void RemoveSubtree(SnapshotNode top, bool includeRoot, SnapshotNode survivor, SnapshotChangeHandler handler)
    {
        if (top.FirstChild is null)
        {
            if (includeRoot)
            {
                RemoveLeaf(top, survivor, handler);
            }

            return;
        }

        var n = top.FirstChild.DeepestFirst();
        while (true)
        {
            if (n == top)
            {
                if (includeRoot)
                {
                    RemoveLeaf(top, survivor, handler);
                }

                return;
            }

            var next = n.NextSibling is not null ? n.NextSibling.DeepestFirst() : n.Parent!;
            RemoveLeaf(n, survivor, handler);
            n = next;
        }
    }

    /// <summary>Removes a node without children; when it is current, current first moves to
    /// <paramref name="survivor"/> (cleared when that is the metaroot).</summary>
    private void RemoveLeaf(SnapshotNode node, SnapshotNode survivor, SnapshotChangeHandler handler)
    {
        if (node == _current)
        {
            MoveCurrent(survivor.IsMetaroot ? null : survivor, handler);
        }

        handler.Removing(node.Definition!);
        DetachLeaf(node, survivor);
    }

    private void DetachLeaf(SnapshotNode node, SnapshotNode survivor)
    {
        if (node == _current)
        {
            _current = survivor.IsMetaroot ? null : survivor;
        }

        node.Unlink();
        _nodes.Remove(node.Name);
        RemoveInOrder(node);
    }
}
