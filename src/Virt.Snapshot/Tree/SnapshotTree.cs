using System.Diagnostics.CodeAnalysis;
using Virt.Snapshot.Tree;

namespace Virt.Snapshot;

/// <summary>
/// A domain's snapshots as a tree, with libvirt's rules (<c>virdomainmomentobjlist.c</c>): a name → node
/// dictionary, a hidden metaroot whose children are the roots, parent/children links and the current snapshot.
/// Drivers keep one per domain and pass a <see cref="SnapshotChangeHandler"/> to the operations that change it,
/// for their per-snapshot work; whatever a handler does, a failure part way leaves the tree consistent (no
/// dangling parent, roots correct, current cleared or moved when the current snapshot went).
/// Every operation is O(size of what it touches); traversals are iterative, so a 100,000-deep chain is fine.
/// Not thread-safe: the driver serialises calls (per domain).
/// </summary>
public sealed class SnapshotTree
{
    private readonly Dictionary<string, SnapshotNode> _nodes = new(StringComparer.Ordinal);
    private readonly SnapshotNode _metaroot = new(null);
    private SnapshotNode? _first;
    private SnapshotNode? _last;
    private SnapshotNode? _current;

    /// <summary>How many snapshots the tree holds.</summary>
    public int Count => _nodes.Count;

    /// <summary>The current snapshot's name, or null when there is none.</summary>
    public string? CurrentName => _current?.Name;

    /// <summary>The current snapshot, or null when there is none.</summary>
    public SnapshotDefinition? Current => _current?.Definition;

    /// <summary>Whether a snapshot has this name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when it exists.</returns>
    public bool Contains(string name) => name is not null && _nodes.ContainsKey(name);

    /// <summary>Finds a snapshot.</summary>
    /// <param name="name">The name.</param>
    /// <param name="snapshot">The definition when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out SnapshotDefinition? snapshot)
    {
        snapshot = name is not null && _nodes.TryGetValue(name, out var node) ? node.Definition : null;
        return snapshot is not null;
    }

    /// <summary>Gets a snapshot by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when there is none.</exception>
    public SnapshotDefinition Get(string name) => Node(name).Definition!;

    /// <summary>The parent's name.</summary>
    /// <param name="name">The snapshot.</param>
    /// <returns>The parent's name, or null for a root.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when there is no such snapshot.</exception>
    public string? GetParentName(string name)
    {
        var parent = Node(name).Parent;
        return parent is null || parent.IsMetaroot ? null : parent.Name;
    }

    /// <summary>How many direct children a snapshot has.</summary>
    /// <param name="name">The snapshot.</param>
    /// <returns>The count.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when there is no such snapshot.</exception>
    public int GetChildCount(string name) => Node(name).ChildCount;

    /// <summary>How many descendants a snapshot has.</summary>
    /// <param name="name">The snapshot.</param>
    /// <returns>The count.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when there is no such snapshot.</exception>
    public int GetDescendantCount(string name) => Node(name).Descendants().Count();

    /// <summary>
    /// Lists snapshots as libvirt's <c>virDomainListAllSnapshots</c>. <see cref="SnapshotListFlags.Roots"/> keeps
    /// only roots; filter flags are ORed within their group (leaves/no-leaves, metadata/no-metadata,
    /// inactive/active/disk-only, internal/external) and groups are ANDed; a group with every flag set does not
    /// filter, except leaves + no-leaves, which (as in libvirt) matches nothing. Without
    /// <see cref="SnapshotListFlags.Topological"/> the order is creation order (roots: oldest first; libvirt's is
    /// unspecified); with it, libvirt's order: parents before children (depth-first pre-order), siblings most
    /// recently created or redefined first, children moved up by a delete in front of their new siblings.
    /// </summary>
    /// <param name="flags">Filters and order.</param>
    /// <returns>The matching snapshots.</returns>
    public IReadOnlyList<SnapshotDefinition> List(SnapshotListFlags flags = SnapshotListFlags.None)
    {
        bool topological = (flags & SnapshotListFlags.Topological) != 0;
        IEnumerable<SnapshotNode> candidates = (flags & SnapshotListFlags.Roots) != 0
            ? topological ? _metaroot.ChildrenLibvirtOrder() : _metaroot.Children()
            : topological ? _metaroot.DescendantsLibvirtOrder() : InCreationOrder();
        return Filter(candidates, flags);
    }

    /// <summary>
    /// Lists a snapshot's children as libvirt's <c>virDomainSnapshotListAllChildren</c>: direct children, or all
    /// descendants (parents before children) with <see cref="SnapshotListFlags.Descendants"/>; filters as in
    /// <see cref="List"/>. Siblings come oldest first, or in libvirt's order with
    /// <see cref="SnapshotListFlags.Topological"/>.
    /// </summary>
    /// <param name="name">The snapshot.</param>
    /// <param name="flags">Filters and order.</param>
    /// <returns>The matching snapshots.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when there is no such snapshot.</exception>
    public IReadOnlyList<SnapshotDefinition> ListChildren(string name, SnapshotListFlags flags = SnapshotListFlags.None)
    {
        var node = Node(name);
        bool topological = (flags & SnapshotListFlags.Topological) != 0;
        return Filter((flags & SnapshotListFlags.Descendants) != 0
            ? topological ? node.DescendantsLibvirtOrder() : node.Descendants()
            : topological ? node.ChildrenLibvirtOrder() : node.Children(), flags);
    }

    /// <summary>Makes a snapshot current, or clears the current snapshot.</summary>
    /// <param name="name">The snapshot, or null for none.</param>
    /// <param name="handler">Per-change work (for example persisting the current marker).</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when there is no such snapshot.</exception>
    public void SetCurrent(string? name, SnapshotChangeHandler? handler = null)
    {
        var node = name is null ? null : Node(name);
        MoveCurrent(node, handler ?? SnapshotChangeHandler.None);
    }

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

    /// <summary>Links definitions that were read back from storage, repairing what is broken: a missing parent or a
    /// parent cycle makes the snapshot a root. Returns one message per repair.</summary>
    internal List<(string Name, string Message)> AttachLoaded(IEnumerable<SnapshotDefinition> definitions)
    {
        var problems = new List<(string, string)>();
        var added = new List<SnapshotNode>();
        foreach (var def in definitions)
        {
            var node = new SnapshotNode(def);
            _nodes.Add(def.Name!, node);
            AppendInOrder(node);
            added.Add(node);
        }

        foreach (var node in added)
        {
            string? parentName = node.Definition!.ParentName;
            if (parentName is null)
            {
                node.LinkTo(_metaroot);
            }
            else if (_nodes.TryGetValue(parentName, out var parent))
            {
                node.LinkTo(parent);
            }
            else
            {
                problems.Add((node.Name, $"parent '{parentName}' of snapshot '{node.Name}' not found; the snapshot is now a root"));
                node.Definition = node.Definition with { ParentName = null };
                node.LinkTo(_metaroot);
            }
        }

        const int Reached = -1;
        foreach (var n in _metaroot.Descendants())
        {
            n.Mark = Reached;
        }

        int walk = 0;
        foreach (var node in added)
        {
            if (node.Mark == Reached)
            {
                continue;
            }

            walk++;
            var p = node;
            while (p.Mark != walk)
            {
                p.Mark = walk;
                p = p.Parent!;
            }

            problems.Add((p.Name, $"snapshot '{p.Name}' is part of a parent cycle (its parent was '{p.Definition!.ParentName}'); the snapshot is now a root"));
            p.Unlink();
            p.Definition = p.Definition with { ParentName = null };
            p.LinkTo(_metaroot);
            p.Mark = Reached;
            foreach (var d in p.Descendants())
            {
                d.Mark = Reached;
            }
        }

        return problems;
    }

    /// <summary>Sets current without calling a handler (used when loading).</summary>
    internal void SetCurrentLoaded(string? name) => _current = name is null ? null : _nodes[name];

    /// <summary>Checks every invariant; returns the first violation, or null. For tests.</summary>
    internal string? FindInconsistency()
    {
        int reached = 0;
        foreach (var n in _metaroot.Descendants())
        {
            reached++;
            if (!_nodes.TryGetValue(n.Name, out var same) || same != n)
            {
                return $"node '{n.Name}' is linked but not in the dictionary";
            }

            string? expected = n.Parent!.IsMetaroot ? null : n.Parent.Name;
            if (n.Definition!.ParentName != expected)
            {
                return $"node '{n.Name}' says parent '{n.Definition.ParentName}' but is linked under '{expected}'";
            }

            if (n.Children().Count() != n.ChildCount)
            {
                return $"node '{n.Name}' child count {n.ChildCount} is wrong";
            }
        }

        if (reached != _nodes.Count)
        {
            return $"{_nodes.Count - reached} snapshots are not reachable from the roots";
        }

        if (InCreationOrder().Count() != _nodes.Count)
        {
            return "creation-order list does not match the dictionary";
        }

        if (_current is not null && (!_nodes.TryGetValue(_current.Name, out var cur) || cur != _current))
        {
            return $"current snapshot '{_current.Name}' is not in the tree";
        }

        return null;
    }

    private SnapshotNode RedefineCore(SnapshotDefinition snapshot, SnapshotCreateFlags flags, SnapshotChangeHandler handler, List<UndoEntry>? undo)
    {
        string name = RequireName(snapshot);
        if (snapshot.ParentName == name)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"cannot set moment {name} as its own parent");
        }

        var parent = ParentNode(snapshot);
        _nodes.TryGetValue(name, out var existing);
        if (existing is not null && existing.Parent != parent)
        {
            // Only a new parent can create a cycle; walking up from it is O(depth), done only then. Like libvirt,
            // name the ancestor whose parent is the snapshot being redefined.
            for (var p = parent; !p.IsMetaroot; p = p.Parent!)
            {
                if (p.Parent == existing)
                {
                    throw new VirtException(VirtErrorCode.InvalidArg, $"parent {p.Name} would create cycle to {name}");
                }
            }
        }

        bool external = snapshot.State == SnapshotState.DiskSnapshot || snapshot.IsExternal;
        if ((flags & SnapshotCreateFlags.DiskOnly) != 0 && !external)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"disk-only flag for snapshot {name} requires disk-snapshot state");
        }

        if (existing is null)
        {
            var added = Insert(snapshot, parent, handler);
            undo?.Add(new(name, null, null));
            return added;
        }

        var old = existing.Definition!;
        if (old.IsOnline != snapshot.IsOnline)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"cannot change between online and offline snapshot state in snapshot {name}");
        }

        if ((old.State == SnapshotState.DiskSnapshot) != (snapshot.State == SnapshotState.DiskSnapshot))
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"cannot change between disk only and full system in snapshot {name}");
        }

        if (snapshot.DomainXml is null && old.DomainXml is not null)
        {
            snapshot = snapshot with { DomainXml = old.DomainXml };
        }

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

    private void MoveCurrent(SnapshotNode? node, SnapshotChangeHandler handler)
    {
        if (node == _current)
        {
            return;
        }

        handler.CurrentChanging(node?.Name);
        _current = node;
    }

    private SnapshotNode ParentNode(SnapshotDefinition snapshot)
    {
        if (snapshot.ParentName is null)
        {
            return _metaroot;
        }

        return _nodes.TryGetValue(snapshot.ParentName, out var parent)
            ? parent
            : throw new VirtException(VirtErrorCode.InvalidArg, $"parent {snapshot.ParentName} for moment {snapshot.Name} not found");
    }

    private static string RequireName(SnapshotDefinition snapshot) =>
        snapshot.Name ?? throw new VirtException(VirtErrorCode.InvalidArg, "a snapshot must have a name");

    private SnapshotNode Node(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _nodes.TryGetValue(name, out var node)
            ? node
            : throw new VirtException(VirtErrorCode.NoDomainSnapshot, $"no domain snapshot with matching name '{name}'");
    }

    private void AppendInOrder(SnapshotNode node)
    {
        node.PreviousInOrder = _last;
        node.NextInOrder = null;
        if (_last is null)
        {
            _first = node;
        }
        else
        {
            _last.NextInOrder = node;
        }

        _last = node;
    }

    private void RemoveInOrder(SnapshotNode node)
    {
        if (node.PreviousInOrder is null)
        {
            _first = node.NextInOrder;
        }
        else
        {
            node.PreviousInOrder.NextInOrder = node.NextInOrder;
        }

        if (node.NextInOrder is null)
        {
            _last = node.PreviousInOrder;
        }
        else
        {
            node.NextInOrder.PreviousInOrder = node.PreviousInOrder;
        }

        node.PreviousInOrder = null;
        node.NextInOrder = null;
    }

    private IEnumerable<SnapshotNode> InCreationOrder()
    {
        for (var n = _first; n is not null; n = n.NextInOrder)
        {
            yield return n;
        }
    }

    private static List<SnapshotDefinition> Filter(IEnumerable<SnapshotNode> nodes, SnapshotListFlags flags) =>
        SnapshotListFilter.Apply(nodes, flags);
}
