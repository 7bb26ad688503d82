using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>
/// What the model does not understand inside one modelled element, kept so that formatting gives it
/// back: unknown child elements (each with the name of the modelled sibling it followed) and, per
/// modelled child element name, unknown attributes and children of that child.
/// </summary>
internal sealed class ElementExtras
{
    private readonly List<(string? Anchor, XElement Element)> _children = [];
    private readonly Dictionary<string, XElement> _partial = new(StringComparer.Ordinal);

    public bool IsEmpty => _children.Count == 0 && _partial.Count == 0;

    public IReadOnlyList<(string? Anchor, XElement Element)> Children => _children;

    public void AddChild(string? anchor, XElement element) => _children.Add((anchor, Strip(element)));

    /// <summary>Remembers unknown attributes and children of the modelled element <paramref name="key"/>.</summary>
    public void AddPartial(string key, IEnumerable<XAttribute> attributes, IEnumerable<XElement> children)
    {
        var holder = new XElement("x");
        foreach (var a in attributes)
        {
            holder.Add(new XAttribute(a));
        }

        foreach (var c in children)
        {
            holder.Add(Strip(c));
        }

        if (holder.HasAttributes || holder.HasElements)
        {
            _partial[key] = holder;
        }
    }

    /// <summary>Adds the remembered unknown attributes and children of <paramref name="key"/> to the element being formatted.</summary>
    public XElement Apply(string key, XElement element)
    {
        if (_partial.TryGetValue(key, out var holder))
        {
            foreach (var a in holder.Attributes())
            {
                if (element.Attribute(a.Name) is null)
                {
                    element.Add(new XAttribute(a));
                }
            }

            foreach (var c in holder.Elements())
            {
                element.Add(new XElement(c));
            }
        }

        return element;
    }

    public void CopyFrom(ElementExtras other)
    {
        _children.AddRange(other._children.Select(c => (c.Anchor, new XElement(c.Element))));
        foreach (var (k, v) in other._partial)
        {
            _partial[k] = new XElement(v);
        }
    }

    /// <summary>
    /// Places the kept unknown children among the formatted ones: by <paramref name="ranks"/> when the
    /// element's name has a rank there (libvirt's fixed order; namespaced extensions last), else right after the last formatted
    /// element named like the sibling it followed in the input, else at the end.
    /// </summary>
    public void MergeInto(XElement parent, IReadOnlyDictionary<string, int>? ranks = null)
    {
        foreach (var (anchor, extra) in _children)
        {
            var copy = new XElement(extra);
            var existing = parent.Elements().ToList();
            XElement? after = null;
            if (ranks is not null && extra.Name.Namespace != XNamespace.None)
            {
                // Namespaced extensions (qemu:commandline...) come last, as libvirt formats them.
                parent.Add(copy);
                continue;
            }

            if (ranks is not null && ranks.TryGetValue(extra.Name.LocalName, out int rank))
            {
                int firstAfter = existing.FindIndex(e => ranks.TryGetValue(e.Name.LocalName, out int r) && r > rank);
                if (firstAfter >= 0)
                {
                    existing[firstAfter].AddBeforeSelf(copy);
                }
                else
                {
                    parent.Add(copy);
                }

                continue;
            }

            if (anchor is null)
            {
                if (existing.Count > 0)
                {
                    existing[0].AddBeforeSelf(copy);
                }
                else
                {
                    parent.Add(copy);
                }

                continue;
            }

            after = existing.LastOrDefault(e => e.Name.LocalName == anchor);
            if (after is not null)
            {
                after.AddAfterSelf(copy);
            }
            else
            {
                parent.Add(copy);
            }
        }
    }

    /// <summary>A copy without whitespace text, comments or line information.</summary>
    private static XElement Strip(XElement element)
    {
        var copy = new XElement(element.Name, element.Attributes().Select(a => new XAttribute(a)));
        bool hasElements = element.HasElements;
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement child:
                    copy.Add(Strip(child));
                    break;
                case XText text when !hasElements || !string.IsNullOrWhiteSpace(text.Value):
                    copy.Add(new XText(text.Value));
                    break;
            }
        }

        return copy;
    }
}
