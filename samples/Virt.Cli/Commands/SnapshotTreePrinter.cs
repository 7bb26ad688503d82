using System.Text;

namespace Virt.Cli.Commands;

/// <summary>
/// virsh's <c>vshTreePrint</c> for <c>snapshot-list --tree</c>: each root at the left, children under "+- " with "|"
/// rails, a blank rail line after the last leaf of a subtree. Builds a parent → children index once and walks
/// with an explicit stack, so a wide tree is linear and a deep chain cannot overflow the call stack.
/// </summary>
internal static class SnapshotTreePrinter
{
    /// <summary>Prints the nodes (name, parent name or null for a root) in list order.</summary>
    public static string Print(IReadOnlyList<(string Name, string? Parent)> nodes)
    {
        var children = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Parent is { } parent)
            {
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(i);
            }
        }

        var text = new StringBuilder();
        var indent = new StringBuilder();
        var stack = new Stack<Frame>();
        for (int i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Parent is not null)
            {
                continue;
            }

            stack.Push(Enter(text, indent, nodes, children, i, last: i, root: true));
            while (stack.Count > 0)
            {
                var frame = stack.Pop();
                if (frame.Next < frame.Children.Count)
                {
                    int child = frame.Children[frame.Next];
                    stack.Push(frame with { Next = frame.Next + 1 });
                    stack.Push(Enter(text, indent, nodes, children, child, last: frame.Children[^1], root: false));
                    continue;
                }

                Leave(text, indent, frame);
            }
        }

        return text.ToString();
    }

    private static Frame Enter(StringBuilder text, StringBuilder indent, IReadOnlyList<(string Name, string? Parent)> nodes,
        Dictionary<string, List<int>> children, int index, int last, bool root)
    {
        string name = nodes[index].Name;
        text.Append(indent).Append(root ? string.Empty : "+- ").Append(name).Append('\n');
        if (!root)
        {
            indent.Append(index == last ? ' ' : '|').Append(' ');
        }

        var mine = children.TryGetValue(name, out var list) ? list : [];
        if (mine.Count > 0)
        {
            text.Append(indent).Append("  |\n");
        }

        indent.Append("  ");
        return new Frame(index, last, root, mine, 0);
    }

    private static void Leave(StringBuilder text, StringBuilder indent, Frame frame)
    {
        indent.Length -= 2;
        if (frame.Children.Count == 0 && frame.Index == frame.Last)
        {
            text.Append(indent).Append('\n');
        }

        if (!frame.Root)
        {
            indent.Length -= 2;
        }
    }

    private readonly record struct Frame(int Index, int Last, bool Root, List<int> Children, int Next);
}
