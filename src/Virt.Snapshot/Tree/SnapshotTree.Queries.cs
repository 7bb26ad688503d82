using System.Diagnostics.CodeAnalysis;
using Virt.Snapshot.Tree;

namespace Virt.Snapshot;

/// <summary>Lookups and listings.</summary>
public sealed partial class SnapshotTree
{
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
