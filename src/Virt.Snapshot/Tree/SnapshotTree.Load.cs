using Virt.Snapshot.Tree;

namespace Virt.Snapshot;

/// <summary>Rebuilding the tree from stored definitions, and the invariant check the tests use.</summary>
public sealed partial class SnapshotTree
{
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
}
