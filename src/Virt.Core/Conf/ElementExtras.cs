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
    private readonly Dictionary<string, (List<XAttribute> Attributes, List<XElement> Children)> _partial = new(StringComparer.Ordinal);

    public IReadOnlyList<(string? Anchor, XElement Element)> Children => _children;

    /// <summary>Whether unknown attributes or children of the modelled element <paramref name="key"/> were kept.</summary>
    public bool Has(string key) => _partial.ContainsKey(key);

    /// <summary>Keeps a copy of <paramref name="element"/> (an unknown child), placed after <paramref name="anchor"/>; returns the copy.</summary>
    public XElement AddChild(string? anchor, XElement element)
    {
        var copy = Strip(element);
        _children.Add((anchor, copy));
        return copy;
    }

    /// <summary>Remembers unknown attributes and children of the modelled element <paramref name="key"/>.</summary>
    public void AddPartial(string key, IEnumerable<XAttribute> attributes, IEnumerable<XElement> children)
    {
        var keptAttributes = attributes.Select(a => new XAttribute(a)).ToList();
        var keptChildren = children.Select(Strip).ToList();
        if (keptAttributes.Count > 0 || keptChildren.Count > 0)
        {
            _partial[key] = (keptAttributes, keptChildren);
        }
    }

    /// <summary>Adds the remembered unknown attributes and children of <paramref name="key"/> to the element being
    /// formatted. The attributes are attached as <see cref="KeptAttributes"/>, which the writer prints after the
    /// element's own: adding them one by one to the element would check each against all before it.</summary>
    public XElement Apply(string key, XElement element)
    {
        if (_partial.TryGetValue(key, out var kept))
        {
            if (kept.Attributes.Count > 0)
            {
                KeptAttributes.Attach(element, kept.Attributes);
            }

            foreach (var c in kept.Children)
            {
                element.Add(new XElement(c));
            }
        }

        return element;
    }

    /// <summary>Like <see cref="Apply"/> for the attributes only (the children of <paramref name="key"/> are placed
    /// elsewhere by the caller, or not at all).</summary>
    public XElement ApplyAttributes(string key, XElement element)
    {
        if (_partial.TryGetValue(key, out var kept) && kept.Attributes.Count > 0)
        {
            KeptAttributes.Attach(element, kept.Attributes);
        }

        return element;
    }

    /// <summary>
    /// Places the kept unknown children among the formatted ones: by <paramref name="ranks"/> when the
    /// element's name has a rank there (libvirt's fixed order; namespaced extensions last), else right after
    /// the last formatted element named like the sibling it followed in the input, else at the end.
    /// </summary>
    public void MergeInto(XElement parent, IReadOnlyDictionary<string, int>? ranks = null)
    {
        if (_children.Count == 0)
        {
            return;
        }

        var ranked = new List<XElement>();
        var trailing = new List<XElement>();
        var anchored = new List<(string? Anchor, XElement Element)>();
        foreach (var (anchor, extra) in _children)
        {
            var copy = new XElement(extra);
            if (ranks is not null && extra.Name.Namespace != XNamespace.None)
            {
                // Namespaced extensions (qemu:commandline...) come last, as libvirt formats them.
                trailing.Add(copy);
            }
            else if (ranks is not null && ranks.ContainsKey(extra.Name.LocalName))
            {
                ranked.Add(copy);
            }
            else
            {
                anchored.Add((anchor, copy));
            }
        }

        if (ranked.Count > 0)
        {
            // A stable sort of the formatted children followed by the kept ones puts each kept element
            // after everything of its rank or lower, in input order.
            var all = parent.Elements().ToList();
            all.AddRange(ranked);
            var sorted = all
                .Select((e, i) => (e, i, r: ranks!.TryGetValue(e.Name.LocalName, out int r) ? r : int.MaxValue))
                .OrderBy(p => p.r)
                .ThenBy(p => p.i)
                .Select(p => p.e)
                .ToList();
            parent.Elements().Remove();

            parent.Add(sorted);
        }

        XElement? lastAtStart = null;
        foreach (var (anchor, copy) in anchored)
        {
            var after = anchor is null ? lastAtStart : parent.Elements().LastOrDefault(e => e.Name.LocalName == anchor);
            if (anchor is null && after is null && parent.Elements().FirstOrDefault() is { } first)
            {
                first.AddBeforeSelf(copy);
                lastAtStart = copy;
            }
            else if (after is not null)
            {
                after.AddAfterSelf(copy);
                if (anchor is null)
                {
                    lastAtStart = copy;
                }
            }
            else
            {
                parent.Add(copy);
            }
        }

        parent.Add(trailing);
    }

    /// <summary>A copy without whitespace text (beside elements), comments, processing instructions or line
    /// information. XElement's copy constructor is the one way to copy many attributes in linear time (adding them
    /// one by one checks each for a duplicate); the copy is then cleaned in place, each child list rebuilt once.</summary>
    private static XElement Strip(XElement element)
    {
        var copy = new XElement(element);
        Clean(copy);
        return copy;
    }

    private static void Clean(XElement element)
    {
        if (element.FirstNode is null)
        {
            return;
        }

        bool hasElements = element.HasElements;
        bool changed = false;
        var kept = new List<XNode>();
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement child:
                    Clean(child);
                    kept.Add(child);
                    break;
                case XText text when hasElements && string.IsNullOrWhiteSpace(text.Value):
                    changed = true;
                    break;
                case XCData cdata:
                    kept.Add(new XText(cdata.Value));
                    changed = true;
                    break;
                case XText text:
                    kept.Add(text);
                    break;
                default:
                    changed = true;
                    break;
            }
        }

        if (changed)
        {
            element.RemoveNodes();
            element.Add(kept);
        }
    }
}
