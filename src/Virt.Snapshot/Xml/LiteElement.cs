namespace Virt.Snapshot.Xml;

/// <summary>
/// A minimal XML element tree, enough to read domainsnapshot XML and to re-indent embedded domain XML the way
/// libvirt formats it. Names are kept qualified (prefix included) so namespaced elements round-trip.
/// </summary>
internal sealed class LiteElement
{
    public LiteElement(string name) => Name = name;

    public string Name { get; set; }

    public List<KeyValuePair<string, string>> Attributes { get; } = [];

    /// <summary>Child elements and text, in document order (<see cref="LiteElement"/> or <see cref="string"/>).</summary>
    public List<object> Children { get; } = [];

    public IEnumerable<LiteElement> Elements() => Children.OfType<LiteElement>();

    public IEnumerable<LiteElement> Elements(string name) => Elements().Where(e => e.Name == name);

    public LiteElement? Element(string name) => Elements().FirstOrDefault(e => e.Name == name);

    public string? Attribute(string name)
    {
        foreach (var a in Attributes)
        {
            if (a.Key == name)
            {
                return a.Value;
            }
        }

        return null;
    }

    /// <summary>The concatenated text of this element and its descendants (XPath <c>string(.)</c>).</summary>
    public string Text()
    {
        if (Children.Count == 1 && Children[0] is string only)
        {
            return only;
        }

        var sb = new System.Text.StringBuilder();
        var stack = new Stack<IEnumerator<object>>();
        stack.Push(Children.GetEnumerator());
        while (stack.Count > 0)
        {
            var it = stack.Peek();
            if (!it.MoveNext())
            {
                stack.Pop();
                continue;
            }

            if (it.Current is string s)
            {
                sb.Append(s);
            }
            else if (it.Current is LiteElement e)
            {
                stack.Push(e.Children.GetEnumerator());
            }
        }

        return sb.ToString();
    }
}
