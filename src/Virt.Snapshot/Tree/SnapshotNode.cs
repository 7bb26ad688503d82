namespace Virt.Snapshot.Tree;

/// <summary>
/// One snapshot in a <see cref="SnapshotTree"/>, with intrusive links so that every structural change is O(1):
/// parent, a doubly linked list of children (first/last child, previous/next sibling), and a doubly linked list of
/// all nodes in creation order. The hidden metaroot is a node whose <see cref="Definition"/> is null.
/// Children are kept in the reverse of libvirt's sibling order: libvirt puts a new or redefined child first and
/// children moved up by a delete in front; here they are appended, so <see cref="DescendantsLibvirtOrder"/>
/// (last child first) gives libvirt's topological order while other walks see the oldest child first.
/// </summary>
internal sealed class SnapshotNode
{
    public SnapshotNode(SnapshotDefinition? definition) => Definition = definition;

    /// <summary>The definition; null only for the metaroot.</summary>
    public SnapshotDefinition? Definition { get; set; }

    public string Name => Definition?.Name ?? string.Empty;

    public SnapshotNode? Parent { get; set; }

    public SnapshotNode? FirstChild { get; set; }

    public SnapshotNode? LastChild { get; set; }

    public SnapshotNode? PreviousSibling { get; set; }

    public SnapshotNode? NextSibling { get; set; }

    public int ChildCount { get; set; }

    public SnapshotNode? PreviousInOrder { get; set; }

    public SnapshotNode? NextInOrder { get; set; }

    /// <summary>Scratch mark for linear-time walks (load-time cycle detection).</summary>
    public int Mark { get; set; }

    public bool IsMetaroot => Definition is null;

    /// <summary>Appends this node to <paramref name="parent"/>'s children.</summary>
    public void LinkTo(SnapshotNode parent)
    {
        Parent = parent;
        PreviousSibling = parent.LastChild;
        NextSibling = null;
        if (parent.LastChild is null)
        {
            parent.FirstChild = this;
        }
        else
        {
            parent.LastChild.NextSibling = this;
        }

        parent.LastChild = this;
        parent.ChildCount++;
    }

    /// <summary>Inserts this node among <paramref name="parent"/>'s children just before <paramref name="next"/>
    /// (appends when null).</summary>
    public void LinkBefore(SnapshotNode parent, SnapshotNode? next)
    {
        if (next is null || next.Parent != parent)
        {
            LinkTo(parent);
            return;
        }

        Parent = parent;
        NextSibling = next;
        PreviousSibling = next.PreviousSibling;
        if (next.PreviousSibling is null)
        {
            parent.FirstChild = this;
        }
        else
        {
            next.PreviousSibling.NextSibling = this;
        }

        next.PreviousSibling = this;
        parent.ChildCount++;
    }

    /// <summary>Removes this node from its parent's children.</summary>
    public void Unlink()
    {
        var parent = Parent;
        if (parent is null)
        {
            return;
        }

        if (PreviousSibling is null)
        {
            parent.FirstChild = NextSibling;
        }
        else
        {
            PreviousSibling.NextSibling = NextSibling;
        }

        if (NextSibling is null)
        {
            parent.LastChild = PreviousSibling;
        }
        else
        {
            NextSibling.PreviousSibling = PreviousSibling;
        }

        parent.ChildCount--;
        Parent = null;
        PreviousSibling = null;
        NextSibling = null;
    }

    /// <summary>The descendants of this node, parents before children (pre-order), without recursion.</summary>
    public IEnumerable<SnapshotNode> Descendants()
    {
        var n = FirstChild;
        while (n is not null)
        {
            yield return n;
            if (n.FirstChild is not null)
            {
                n = n.FirstChild;
                continue;
            }

            while (n != this && n.NextSibling is null)
            {
                n = n.Parent!;
            }

            if (n == this)
            {
                yield break;
            }

            n = n.NextSibling;
        }
    }

    /// <summary>The descendants in libvirt's topological order: pre-order, each node's children from the most
    /// recently attached (<see cref="LastChild"/>) backwards; without recursion.</summary>
    public IEnumerable<SnapshotNode> DescendantsLibvirtOrder()
    {
        var n = LastChild;
        while (n is not null)
        {
            yield return n;
            if (n.LastChild is not null)
            {
                n = n.LastChild;
                continue;
            }

            while (n != this && n.PreviousSibling is null)
            {
                n = n.Parent!;
            }

            if (n == this)
            {
                yield break;
            }

            n = n.PreviousSibling;
        }
    }

    /// <summary>The direct children from the most recently attached backwards (libvirt's order).</summary>
    public IEnumerable<SnapshotNode> ChildrenLibvirtOrder()
    {
        for (var n = LastChild; n is not null; n = n.PreviousSibling)
        {
            yield return n;
        }
    }

    /// <summary>The direct children, in order.</summary>
    public IEnumerable<SnapshotNode> Children()
    {
        for (var n = FirstChild; n is not null; n = n.NextSibling)
        {
            yield return n;
        }
    }

    /// <summary>The first node of a post-order walk of the subtree rooted here (its deepest first descendant).</summary>
    public SnapshotNode DeepestFirst()
    {
        var n = this;
        while (n.FirstChild is not null)
        {
            n = n.FirstChild;
        }

        return n;
    }
}
