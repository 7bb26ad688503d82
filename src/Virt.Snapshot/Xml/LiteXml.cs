using System.Text;
using System.Xml;
using Virt.Conf;

namespace Virt.Snapshot.Xml;

/// <summary>Reads XML into <see cref="LiteElement"/> trees with <see cref="SafeXml"/>'s settings and limits (those of a
/// document embedding a domain), and writes elements in libvirt's layout.</summary>
internal static class LiteXml
{
    private static XmlLimits Limits => SafeXml.EmbeddingLimits;

    /// <summary>Parses <paramref name="xml"/> into an element tree.</summary>
    /// <param name="xml">The document.</param>
    /// <param name="what">What the document is, for messages (for example "domain snapshot XML").</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> for anything malformed or hostile.</exception>
    public static LiteElement Load(string xml, string what)
    {
        if (xml.Length > Limits.MaxCharacters)
        {
            throw new VirtException(VirtErrorCode.XmlError,
                $"{what} is {xml.Length} characters long, more than the limit of {Limits.MaxCharacters}");
        }

        var settings = SafeXml.ReaderSettings(Limits.MaxCharacters);
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            return Build(reader, what);
        }
        catch (XmlException ex)
        {
            string detail = SafeXml.IsDtdRefusal(ex) ? SafeXml.DtdRefused(what) : $"{what} is malformed: {ex.Message}";
            throw new VirtException(VirtErrorCode.XmlError, detail, ex);
        }
    }

    private static LiteElement Build(XmlReader reader, string what)
    {
        LiteElement? root = null;
        var stack = new Stack<LiteElement>();
        int elements = 0;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (stack.Count >= Limits.MaxDepth)
                    {
                        throw new VirtException(VirtErrorCode.XmlError, $"{what} nests elements deeper than {Limits.MaxDepth} levels");
                    }

                    if (++elements > Limits.MaxElements)
                    {
                        throw new VirtException(VirtErrorCode.XmlError, $"{what} has more than {Limits.MaxElements} elements");
                    }

                    var e = new LiteElement(reader.Name);
                    bool empty = reader.IsEmptyElement;
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            e.Attributes.Add(new(reader.Name, reader.Value));
                        }
                        while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }

                    if (stack.Count == 0)
                    {
                        root = e;
                    }
                    else
                    {
                        stack.Peek().Children.Add(e);
                    }

                    if (!empty)
                    {
                        stack.Push(e);
                    }

                    break;
                case XmlNodeType.EndElement:
                    stack.Pop();
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    if (stack.Count > 0)
                    {
                        stack.Peek().Children.Add(reader.Value);
                    }

                    break;
                case XmlNodeType.DocumentType:
                    throw new VirtException(VirtErrorCode.XmlError, SafeXml.DtdRefused(what));
                default:
                    break;
            }
        }

        return root ?? throw new VirtException(VirtErrorCode.XmlError, $"{what} has no root element");
    }

    /// <summary>Appends <paramref name="element"/> the way libvirt formats XML: two-space indentation,
    /// single-quoted attributes, empty elements self-closed, whitespace-only text dropped.</summary>
    /// <param name="sb">Where to write.</param>
    /// <param name="element">The element.</param>
    /// <param name="indent">Its indentation.</param>
    /// <param name="rootName">The name to print for the element itself, when it is the embedded root.</param>
    /// <param name="libxml">Whether the element is inside a domain's <c>&lt;metadata&gt;</c>, which libvirt prints
    /// through libxml2: attribute values in double quotes.</param>
    public static void Write(StringBuilder sb, LiteElement element, int indent, string? rootName = null, bool libxml = false)
    {
        sb.Append(' ', indent).Append('<').Append(rootName ?? element.Name);
        char quote = libxml ? '"' : '\'';
        foreach (var a in element.Attributes)
        {
            sb.Append(' ').Append(a.Key).Append('=').Append(quote);
            LibvirtXmlWriter.AppendEscaped(sb, a.Value, escapeApostrophe: !libxml);
            sb.Append(quote);
        }

        bool hasElements = false;
        bool hasText = false;
        foreach (var c in element.Children)
        {
            if (c is LiteElement)
            {
                hasElements = true;
            }
            else if (c is string s && !string.IsNullOrWhiteSpace(s))
            {
                hasText = true;
            }
        }

        if (!hasElements && !hasText)
        {
            // libvirt writes some empty containers (for example <devices>) as an open and a close tag on two
            // lines; the input kept that as a line break, so keep the layout.
            if (element.Children.Any(c => c is string s && s.Contains('\n', StringComparison.Ordinal)))
            {
                sb.Append(">\n").Append(' ', indent).Append("</").Append(rootName ?? element.Name).Append(">\n");
            }
            else
            {
                sb.Append("/>\n");
            }

            return;
        }

        if (!hasElements)
        {
            sb.Append('>');
            foreach (var c in element.Children)
            {
                LibvirtXmlWriter.AppendEscaped(sb, (string)c);
            }

            sb.Append("</").Append(rootName ?? element.Name).Append(">\n");
            return;
        }

        sb.Append(">\n");
        foreach (var c in element.Children)
        {
            if (c is LiteElement child)
            {
                // The root's <metadata> has no attributes of its own; what it holds is printed the libxml2 way.
                Write(sb, child, indent + 2, libxml: libxml || (rootName is not null && child.Name == "metadata"));
            }
            else if (c is string s && !string.IsNullOrWhiteSpace(s))
            {
                sb.Append(' ', indent + 2);
                LibvirtXmlWriter.AppendEscaped(sb, s.Trim());
                sb.Append('\n');
            }
        }

        sb.Append(' ', indent).Append("</").Append(rootName ?? element.Name).Append(">\n");
    }
}
