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
public sealed partial class SnapshotTree
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

    /// <summary>Makes a snapshot current, or clears the current snapshot.</summary>
    /// <param name="name">The snapshot, or null for none.</param>
    /// <param name="handler">Per-change work (for example persisting the current marker).</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when there is no such snapshot.</exception>
    public void SetCurrent(string? name, SnapshotChangeHandler? handler = null)
    {
        var node = name is null ? null : Node(name);
        MoveCurrent(node, handler ?? SnapshotChangeHandler.None);
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
}
