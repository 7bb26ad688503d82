using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.XPath;
using Virt.Cli.Commands;

namespace Virt.Cli.Output;

/// <summary>
/// virsh's <c>--xpath</c>/<c>--wrap</c> output (<c>virshDumpXML</c>): the matching nodes re-serialized the
/// way libxml2 formats them (double-quoted attributes, two-space indentation, text-only elements on
/// one line), each on its own line, or all inside one <c>&lt;nodes&gt;</c> element.
/// </summary>
internal static class XPathDump
{
    /// <summary>Prints the nodes of <paramref name="xml"/> that <paramref name="xpath"/> selects.</summary>
    /// <exception cref="CommandFailedException">The expression is invalid or does not select nodes; the message was printed.</exception>
    public static void Print(CommandContext context, string xml, string xpath, bool wrap)
    {
        var document = DomainXml.Parse(xml);
        IEnumerable<object> selected;
        try
        {
            if (document.XPathEvaluate(xpath) is not IEnumerable<object> nodes)
            {
                context.Error($"internal error: Incorrect xpath '{xpath}'");
                throw new CommandFailedException();
            }

            selected = nodes.ToList();
        }
        catch (XPathException)
        {
            context.Out.Flush();
            context.Err.Write($"XPath error : Invalid expression\n{xpath}\n");
            throw new CommandFailedException();
        }

        if (!wrap)
        {
            foreach (object node in selected)
            {
                var text = new StringBuilder();
                Append(text, node, 0);
                context.Print(text.Append('\n').ToString());
            }

            return;
        }

        var root = new XElement("nodes");
        foreach (object node in selected)
        {
            switch (node)
            {
                case XAttribute attribute:
                    root.SetAttributeValue(attribute.Name, attribute.Value);
                    break;
                case XNode child:
                    root.Add(child is XElement element ? new XElement(element) : child);
                    break;
            }
        }

        var wrapped = new StringBuilder();
        Append(wrapped, root, 0);
        context.Print(wrapped.Append('\n').ToString());
    }

    private static void Append(StringBuilder text, object node, int indent)
    {
        switch (node)
        {
            case XElement element:
                AppendElement(text, element, indent);
                break;
            case XAttribute attribute:
                AppendAttribute(text, attribute);
                break;
            case XText value:
                text.Append(Escape(value.Value, attribute: false));
                break;
            case XComment comment:
                text.Append("<!--").Append(comment.Value).Append("-->");
                break;
        }
    }

    private static void AppendElement(StringBuilder text, XElement element, int indent)
    {
        string name = QualifiedName(element, element.Name);
        text.Append('<').Append(name);
        foreach (var attribute in element.Attributes())
        {
            AppendAttribute(text, attribute);
        }

        var children = element.Nodes().Where(n => n is not XText t || !string.IsNullOrWhiteSpace(t.Value)).ToList();
        if (children.Count == 0)
        {
            text.Append(element.IsEmpty || element.Value.Length == 0 ? "/>" : ">" + Escape(element.Value, attribute: false) + "</" + name + ">");
            return;
        }

        text.Append('>');
        bool format = children.All(n => n is XElement or XComment);
        foreach (var child in children)
        {
            if (format)
            {
                text.Append('\n').Append(' ', indent + 2);
            }

            Append(text, child, indent + 2);
        }

        if (format)
        {
            text.Append('\n').Append(' ', indent);
        }

        text.Append("</").Append(name).Append('>');
    }

    private static void AppendAttribute(StringBuilder text, XAttribute attribute)
    {
        string name = attribute.IsNamespaceDeclaration
            ? (attribute.Name.Namespace == XNamespace.None ? "xmlns" : "xmlns:" + attribute.Name.LocalName)
            : attribute.Parent is { } parent ? QualifiedName(parent, attribute.Name) : attribute.Name.LocalName;
        text.Append(' ').Append(name).Append("=\"").Append(Escape(attribute.Value, attribute: true)).Append('"');
    }

    private static string QualifiedName(XElement context, XName name)
    {
        if (name.Namespace == XNamespace.None)
        {
            return name.LocalName;
        }

        string? prefix = context.GetPrefixOfNamespace(name.Namespace);
        return prefix is null ? name.LocalName : prefix + ":" + name.LocalName;
    }

    private static string Escape(string value, bool attribute)
    {
        var text = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            text.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' when attribute => "&quot;",
                '\n' when attribute => "&#10;",
                '\t' when attribute => "&#9;",
                '\r' => "&#13;",
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
