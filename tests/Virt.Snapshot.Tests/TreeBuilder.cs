namespace Virt.Snapshot.Tests;

internal static class TreeBuilder
{
    public static SnapshotDefinition Def(string name, string? parent = null, SnapshotState state = SnapshotState.Running, bool external = false) => new()
    {
        Name = name,
        ParentName = parent,
        State = state,
        CreationTime = 1_700_000_000,
        Memory = state is SnapshotState.Shutoff or SnapshotState.DiskSnapshot ? SnapshotLocation.No : external ? SnapshotLocation.External : SnapshotLocation.Internal,
        MemoryFile = external && state is not (SnapshotState.Shutoff or SnapshotState.DiskSnapshot) ? "/m/" + name : null,
        Disks = [new SnapshotDiskDefinition { Name = "vda", Snapshot = external ? SnapshotLocation.External : SnapshotLocation.Internal, SourcePath = external ? "/d/" + name : null }],
        DomainXml = "<domain type='test'>\n  <name>t</name>\n</domain>\n",
    };

    /// <summary>
    /// a ── b ── c
    ///   │    └─ d
    ///   └─ e
    /// f (shutoff) ── g (disk-only, external)
    /// </summary>
    public static SnapshotTree Sample()
    {
        var tree = new SnapshotTree();
        tree.Add(Def("a"), false);
        tree.Add(Def("b", "a"), false);
        tree.Add(Def("c", "b"), false);
        tree.Add(Def("d", "b"), false);
        tree.Add(Def("e", "a", external: true), false);
        tree.Add(Def("f", state: SnapshotState.Shutoff), false);
        tree.Add(Def("g", "f", SnapshotState.DiskSnapshot, external: true), false);
        return tree;
    }

    public static string[] Names(IEnumerable<SnapshotDefinition> defs) => defs.Select(d => d.Name!).ToArray();

    /// <summary>Every snapshot as "name&lt;parent" plus the current one, to compare whole trees: parents before
    /// children, siblings oldest first (libvirt's sibling order, newest first, is tested with
    /// <see cref="SnapshotListFlags.Topological"/> separately).</summary>
    public static string Shape(SnapshotTree tree)
    {
        var order = new List<SnapshotDefinition>();
        var stack = new Stack<SnapshotDefinition>(tree.List(SnapshotListFlags.Roots).Reverse());
        while (stack.TryPop(out var d))
        {
            order.Add(d);
            foreach (var child in tree.ListChildren(d.Name!).Reverse())
            {
                stack.Push(child);
            }
        }

        return string.Join(" ", order.Select(d => d.Name + "<" + (d.ParentName ?? "-"))) + " current=" + (tree.CurrentName ?? "-");
    }

    public static void AssertConsistent(SnapshotTree tree)
    {
        Assert.That(tree.FindInconsistency(), Is.Null);
        foreach (var d in tree.List())
        {
            Assert.That(tree.GetParentName(d.Name!), Is.EqualTo(d.ParentName));
            if (d.ParentName is not null)
            {
                Assert.That(tree.Contains(d.ParentName), Is.True, $"dangling parent of {d.Name}");
            }
        }

        var roots = tree.List(SnapshotListFlags.Roots).Select(d => d.Name).ToHashSet();
        Assert.That(roots, Is.EquivalentTo(tree.List().Where(d => d.ParentName is null).Select(d => d.Name)));
        if (tree.CurrentName is not null)
        {
            Assert.That(tree.Contains(tree.CurrentName), Is.True);
        }
    }
}
