using Virt.Snapshot.Rules;
using Virt.Snapshot.Tree;

namespace Virt.Snapshot;

/// <summary>Adding and redefining snapshots, all or nothing (undo on failure).</summary>
public sealed partial class SnapshotTree
{
    /// <summary>
    /// Adds a new snapshot under <see cref="SnapshotDefinition.ParentName"/> (a root when null). All or nothing:
    /// when making it current fails, the snapshot is removed again through <paramref name="handler"/> before the
    /// error is rethrown, so a retry can use the same name (when the handler cannot remove it either, it stays, not
    /// current, as storage has it).
    /// </summary>
    /// <param name="snapshot">The definition; its name must be new.</param>
    /// <param name="makeCurrent">Whether it becomes the current snapshot.</param>
    /// <param name="handler">Per-change work.</param>
    /// <returns>The definition stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when the name exists;
    /// <see cref="VirtErrorCode.InvalidArg"/> when the name is missing or the parent does not exist.</exception>
    public SnapshotDefinition Add(SnapshotDefinition snapshot, bool makeCurrent, SnapshotChangeHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        handler ??= SnapshotChangeHandler.None;
        string name = RequireName(snapshot);
        if (_nodes.ContainsKey(name))
        {
            throw new VirtException(VirtErrorCode.OperationFailed, $"domain moment {name} already exists");
        }

        var parent = ParentNode(snapshot);
        var node = Insert(snapshot, parent, handler);
        if (makeCurrent)
        {
            MoveCurrentOrRollBack(node, [new(name, null, null)], handler);
        }

        return node.Definition!;
    }

    /// <summary>
    /// Redefines a snapshot from its XML as libvirt's <c>virDomainSnapshotRedefinePrep</c>: a new name adds it; an
    /// existing one is replaced in place and keeps its children. The parent must already exist and must not be
    /// the snapshot or one of its descendants; an existing snapshot cannot change between online (running,
    /// paused) and offline states, nor between disk-only and full system; when the new definition has no domain,
    /// the old one's is kept. In libvirt's sibling order it becomes its parent's newest child, also when the parent
    /// is unchanged. All or nothing: when making it current fails, the redefinition is undone (a new snapshot
    /// removed, a replaced one restored in its old place) through <paramref name="handler"/> before the error is
    /// rethrown.
    /// </summary>
    /// <param name="snapshot">The definition (parsed with <see cref="SnapshotParseFlags.Redefine"/>).</param>
    /// <param name="flags"><see cref="SnapshotCreateFlags.Current"/> makes it current;
    /// <see cref="SnapshotCreateFlags.DiskOnly"/> requires a disk-only or external snapshot.</param>
    /// <param name="handler">Per-change work.</param>
    /// <returns>The definition stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> when a rule above is broken.</exception>
    public SnapshotDefinition Redefine(SnapshotDefinition snapshot, SnapshotCreateFlags flags = SnapshotCreateFlags.None, SnapshotChangeHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        handler ??= SnapshotChangeHandler.None;
        bool makeCurrent = (flags & SnapshotCreateFlags.Current) != 0;
        var undo = makeCurrent ? new List<UndoEntry>(1) : null;
        var node = RedefineCore(snapshot, flags, handler, undo);
        if (makeCurrent)
        {
            MoveCurrentOrRollBack(node, undo!, handler);
        }

        return node.Definition!;
    }

    /// <summary>
    /// Redefines many snapshots in order (each one's parent must exist already or come earlier), all or nothing:
    /// when one fails, those redefined before it are put back (new ones removed, replaced ones restored, the
    /// current snapshot restored) through the same <paramref name="handler"/>, and the error is rethrown.
    /// </summary>
    /// <param name="snapshots">The definitions, parents before children.</param>
    /// <param name="handler">Per-change work.</param>
    /// <exception cref="ArgumentNullException"><paramref name="snapshots"/> is null.</exception>
    /// <exception cref="VirtException">As <see cref="Redefine"/>; the tree is as before the call.</exception>
    public void RedefineAll(IEnumerable<SnapshotDefinition> snapshots, SnapshotChangeHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        handler ??= SnapshotChangeHandler.None;
        var undo = new List<UndoEntry>();
        try
        {
            foreach (var snapshot in snapshots)
            {
                ArgumentNullException.ThrowIfNull(snapshot, nameof(snapshots));
                RedefineCore(snapshot, SnapshotCreateFlags.None, handler, undo);
            }
        }
        catch
        {
            RollBack(undo, handler, force: true);
            throw;
        }
    }

    private SnapshotNode RedefineCore(SnapshotDefinition snapshot, SnapshotCreateFlags flags, SnapshotChangeHandler handler, List<UndoEntry>? undo)
    {
        // The rules live in one place (Rules/SnapshotRedefineRules), which drivers call too before they get here.
        string name = SnapshotRedefineRules.CheckPlacement(this, snapshot);
        var parent = ParentNode(snapshot);
        _nodes.TryGetValue(name, out var existing);
        SnapshotRedefineRules.CheckDiskOnly(snapshot, flags);
        if (existing is null)
        {
            var added = Insert(snapshot, parent, handler);
            undo?.Add(new(name, null, null));
            return added;
        }

        var old = existing.Definition!;
        snapshot = SnapshotRedefineRules.CheckReplacement(snapshot, old);
        var oldNext = existing.NextSibling;
        Replace(existing, snapshot, parent, handler);
        undo?.Add(new(name, old, oldNext));
        return existing;
    }

    /// <summary>Undoes entries newest first through the handler. When the handler fails, <paramref name="force"/>
    /// undoes the entry in memory regardless (the caller's view wins); otherwise the entry stays as storage has it
    /// and the rest of the rollback stops.</summary>
    private void RollBack(List<UndoEntry> undo, SnapshotChangeHandler handler, bool force)
    {
        for (int i = undo.Count - 1; i >= 0; i--)
        {
            var (name, old, oldNext) = undo[i];
            var node = _nodes[name];
            try
            {
                if (old is null)
                {
                    // Added by this call: its children (if any) were added later and are already gone.
                    RemoveLeaf(node, node.Parent!, handler);
                }
                else
                {
                    handler.Saving(old, isNew: false);
                    Relink(node, old, old.ParentName is null ? _metaroot : _nodes[old.ParentName], oldNext);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (!force)
                {
                    return;
                }

                // The handler could not undo its part; keep memory rolled back regardless so the tree matches
                // the caller's view (the old state). Storage keeps whatever it managed to write.
                if (old is null)
                {
                    DetachLeaf(node, node.Parent!);
                }
                else
                {
                    Relink(node, old, old.ParentName is null ? _metaroot : _nodes[old.ParentName], oldNext);
                }
            }
        }
    }

    private SnapshotNode Insert(SnapshotDefinition snapshot, SnapshotNode parent, SnapshotChangeHandler handler)
    {
        handler.Saving(snapshot, isNew: true);
        var node = new SnapshotNode(snapshot);
        _nodes.Add(snapshot.Name!, node);
        AppendInOrder(node);
        node.LinkTo(parent);
        return node;
    }

    private static void Replace(SnapshotNode node, SnapshotDefinition snapshot, SnapshotNode parent, SnapshotChangeHandler handler)
    {
        handler.Saving(snapshot, isNew: false);
        Relink(node, snapshot, parent);
    }

    /// <summary>Sets a node's definition and moves it before <paramref name="before"/> among
    /// <paramref name="parent"/>'s children, or last (libvirt's first) when that is null: libvirt drops and re-adds
    /// the parent link of every redefined snapshot.</summary>
    private static void Relink(SnapshotNode node, SnapshotDefinition snapshot, SnapshotNode parent, SnapshotNode? before = null)
    {
        node.Definition = snapshot;
        node.Unlink();
        node.LinkBefore(parent, before);
    }

    private readonly record struct UndoEntry(string Name, SnapshotDefinition? Old, SnapshotNode? OldNextSibling);

    /// <summary>Makes a just added or redefined node current; when that fails, undoes the change and rethrows.</summary>
    private void MoveCurrentOrRollBack(SnapshotNode node, List<UndoEntry> undo, SnapshotChangeHandler handler)
    {
        try
        {
            MoveCurrent(node, handler);
        }
        catch
        {
            RollBack(undo, handler, force: false);
            throw;
        }
    }
}
