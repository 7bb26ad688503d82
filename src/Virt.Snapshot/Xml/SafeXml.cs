using System.Text;
using System.Xml;
using Virt.Conf;

namespace Virt.Snapshot.Xml;

/// <summary>Reads XML with DTDs prohibited and size and depth capped, and writes elements in libvirt's layout.</summary>
internal static class SafeXml
{
    /// <summary>Largest document accepted, in characters.</summary>
    public const int MaxCharacters = 16 * 1024 * 1024;

    /// <summary>Deepest element nesting accepted.</summary>
    public const int MaxDepth = 128;

    /// <summary>Parses <paramref name="xml"/> into an element tree.</summary>
    /// <param name="xml">The document.</param>
    /// <param name="what">What the document is, for messages (for example "domain snapshot XML").</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> for anything malformed or hostile.</exception>
    public static LiteElement Load(string xml, string what)
    {
        if (xml.Length > MaxCharacters)
        {
            throw new VirtException(VirtErrorCode.XmlError,
                $"{what} is {xml.Length} characters long, more than the limit of {MaxCharacters}");
        }

        var settings = Virt.Conf.SafeXml.ReaderSettings(MaxCharacters);
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            return Build(reader, what);
        }
        catch (XmlException ex)
        {
            string detail = ex.Message.Contains("DTD", StringComparison.Ordinal)
                ? $"{what} must not contain a DTD or entity declarations ({ex.Message})"
                : $"{what} is malformed: {ex.Message}";
            throw new VirtException(VirtErrorCode.XmlError, detail, ex);
        }
    }

    private static LiteElement Build(XmlReader reader, string what)
    {
        LiteElement? root = null;
        var stack = new Stack<LiteElement>();
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (stack.Count >= MaxDepth)
                    {
                        throw new VirtException(VirtErrorCode.XmlError, $"{what} nests elements deeper than {MaxDepth} levels");
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
                    throw new VirtException(VirtErrorCode.XmlError, $"{what} must not contain a DTD");
                default:
                    break;
            }
        }

        return root ?? throw new VirtException(VirtErrorCode.XmlError, $"{what} has no root element");
    }

    /// <summary>Appends <paramref name="element"/> the way libvirt formats XML: two-space indentation,
    /// single-quoted attributes, empty elements self-closed, whitespace-only text dropped.</summary>
    public static void Write(StringBuilder sb, LiteElement element, int indent, string? rootName = null)
    {
        sb.Append(' ', indent).Append('<').Append(rootName ?? element.Name);
        foreach (var a in element.Attributes)
        {
            sb.Append(' ').Append(a.Key).Append("='");
            LibvirtXmlWriter.AppendEscaped(sb, a.Value);
            sb.Append('\'');
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
                Write(sb, child, indent + 2);
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
