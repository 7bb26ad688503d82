using System.Text;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>
/// Serialises an element tree the way libvirt's formatter prints it: two-space indent, single-quoted
/// attributes, <c>&lt;x/&gt;</c> for empty elements, text-only elements on one line, and every
/// character libvirt escapes (<c>&lt; &gt; &amp; ' "</c>) escaped.
/// </summary>
internal static class LibvirtXmlWriter
{
    /// <summary>Marks an element that libvirt always prints with an open and a close tag, even when empty (<c>&lt;devices&gt;</c>).</summary>
    internal sealed class AlwaysOpen
    {
        public static readonly AlwaysOpen Instance = new();
    }

    public static string Write(XElement root)
    {
        var sb = new StringBuilder(1024);
        WriteElement(sb, root, 0);
        return sb.ToString();
    }

    public static void WriteElement(StringBuilder sb, XElement element, int depth, bool libxml = false) =>
        WriteElement(sb, element, depth, libxml, parent: null);

    private static void WriteElement(StringBuilder sb, XElement element, int depth, bool libxml, Prefixes? parent)
    {
        // libvirt prints <metadata> contents through libxml2, which uses double quotes.
        char quote = libxml ? '"' : '\'';
        Action<StringBuilder, string> escape = libxml ? EscapeLibxml : Escape;
        bool childrenLibxml = libxml || (depth == 1 && element.Name.LocalName == "metadata");
        var kept = KeptAttributes.Of(element).ToList();
        var attributes = libxml ? kept : AttributeOrder.Sort(element, kept);
        var prefixes = new Prefixes(element, attributes, parent);
        string name = prefixes.Qualify(element.Name);
        sb.Append(' ', depth * 2).Append('<').Append(name);
        foreach (var attribute in attributes)
        {
            if (attribute.IsNamespaceDeclaration)
            {
                sb.Append(' ').Append(attribute.Name.LocalName == "xmlns" ? "xmlns" : "xmlns:" + attribute.Name.LocalName);
            }
            else
            {
                sb.Append(' ').Append(prefixes.Qualify(attribute.Name));
            }

            sb.Append('=').Append(quote);
            escape(sb, attribute.Value);
            sb.Append(quote);
        }

        var nodes = element.Nodes().Where(n => n is XElement || (n is XText t && !string.IsNullOrWhiteSpace(t.Value))).ToList();
        if (nodes.Count == 0)
        {
            // libvirt writes a <redirdev>'s close tag even when its host side (spicevmc) prints nothing inside.
            if (element.Annotation<AlwaysOpen>() is not null || (element.Name == "redirdev" && element.Parent?.Name == "devices"))
            {
                sb.Append(">\n").Append(' ', depth * 2).Append("</").Append(name).Append(">\n");
            }
            else if (element.Nodes().OfType<XText>().Any(t => t.Value.Length > 0))
            {
                sb.Append('>');
                escape(sb, string.Concat(element.Nodes().OfType<XText>().Select(t => t.Value)));
                sb.Append("</").Append(name).Append(">\n");
            }
            else
            {
                sb.Append("/>\n");
            }

            return;
        }

        if (nodes.All(n => n is XText))
        {
            sb.Append('>');
            escape(sb, element.Value);
            sb.Append("</").Append(name).Append(">\n");
            return;
        }

        sb.Append(">\n");
        foreach (var node in nodes)
        {
            if (node is XElement child)
            {
                WriteElement(sb, child, depth + 1, childrenLibxml, prefixes);
            }
            else
            {
                sb.Append(' ', (depth + 1) * 2);
                escape(sb, ((XText)node).Value.Trim());
                sb.Append('\n');
            }
        }

        sb.Append(' ', depth * 2).Append("</").Append(name).Append(">\n");
    }

    /// <summary>
    /// Prefixes of the namespaces used by one element's name and attributes, looked up once per namespace: the
    /// element's own declarations (kept ones included) first, then its ancestors' as the writer saw them. Asking
    /// XLinq for each attribute would scan every attribute each time, quadratic in a hostile element.
    /// </summary>
    private sealed class Prefixes(XElement element, IReadOnlyList<XAttribute> attributes, Prefixes? parent)
    {
        private Dictionary<XNamespace, string?>? _known;

        public string Qualify(XName name)
        {
            if (name.Namespace == XNamespace.None)
            {
                return name.LocalName;
            }

            if (name.Namespace == XNamespace.Xml)
            {
                return "xml:" + name.LocalName;
            }

            string? prefix = PrefixOf(name.Namespace);
            return prefix is null ? name.LocalName : prefix + ":" + name.LocalName;
        }

        private string? PrefixOf(XNamespace ns)
        {
            if (_known is null)
            {
                _known = [];
                foreach (var a in attributes)
                {
                    if (a.IsNamespaceDeclaration && a.Name.LocalName != "xmlns")
                    {
                        _known.TryAdd(XNamespace.Get(a.Value), a.Name.LocalName);
                    }
                }
            }

            if (!_known.TryGetValue(ns, out string? prefix))
            {
                prefix = parent is not null ? parent.PrefixOf(ns) : element.Parent?.GetPrefixOfNamespace(ns);
                _known[ns] = prefix;
            }

            return prefix;
        }
    }

    private static void EscapeLibxml(StringBuilder sb, string value)
    {
        CheckCharacters(value);
        AppendEscaped(sb, value, escapeApostrophe: false);
    }

    public static void Escape(StringBuilder sb, string value)
    {
        CheckCharacters(value);
        AppendEscaped(sb, value);
    }

    /// <summary>
    /// Appends <paramref name="value"/> escaped as libvirt's <c>virBufferEscapeString</c> does (<c>&lt; &gt; &amp; ' "</c>),
    /// or, without <paramref name="escapeApostrophe"/>, as libxml2 escapes a double-quoted attribute. Checks nothing:
    /// <see cref="Escape"/> also refuses characters XML cannot hold.
    /// </summary>
    public static void AppendEscaped(StringBuilder sb, string value, bool escapeApostrophe = true)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\'' when escapeApostrophe: sb.Append("&apos;"); break;
                case '"': sb.Append("&quot;"); break;
                default: sb.Append(c); break;
            }
        }
    }

    /// <summary>Refuses values XML cannot carry (control characters other than tab, newline and CR; lone surrogates).</summary>
    private static void CheckCharacters(string value)
    {
        for (int i = value.AsSpan().IndexOfAnyExcept(SafeCharacters); i >= 0 && i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (!System.Xml.XmlConvert.IsXmlChar(c))
            {
                throw new VirtException(VirtErrorCode.InvalidArg,
                    $"a value contains U+{(int)c:X4} at position {i}, which XML cannot hold; remove it");
            }
        }
    }

    private static readonly System.Buffers.SearchValues<char> SafeCharacters = System.Buffers.SearchValues.Create(
        Enumerable.Range(0x20, 0xD800 - 0x20).Select(i => (char)i).Append('\t').Append('\n').Append('\r').ToArray());
}
