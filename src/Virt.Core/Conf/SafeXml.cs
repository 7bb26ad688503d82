using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>
/// Loads untrusted XML: no DTDs, no external resources, bounded size, depth and element count, line numbers kept
/// for error messages. Every failure is a <see cref="VirtException"/> with <see cref="VirtErrorCode.XmlError"/>.
/// </summary>
internal static class SafeXml
{
    /// <summary>The largest domain document accepted, in characters (libvirt caps its reads at 10 MB too).</summary>
    public const int MaxCharacters = 10 * 1024 * 1024;

    /// <summary>The deepest element nesting accepted in a domain document.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most elements accepted in one domain document (a real domain has a few hundred).</summary>
    public const int MaxElements = 50_000;

    /// <summary>The limits of a domain document.</summary>
    public static XmlLimits DomainLimits { get; } = new(MaxCharacters, MaxDepth, MaxElements);

    /// <summary>The limits of a document that embeds a whole domain document (domainsnapshot XML, whose
    /// <c>&lt;domain&gt;</c> may itself reach the domain limits): room for the domain and as much again.</summary>
    public static XmlLimits EmbeddingLimits { get; } = new(16 * 1024 * 1024, 2 * MaxDepth, 2 * MaxElements);

    /// <summary>Why a document with a DTD is refused, with the fix; <paramref name="what"/> names the document
    /// ("domain snapshot XML"), null for the domain document's historical wording.</summary>
    public static string DtdRefused(string? what) => what is null
        ? "document type definitions (DTDs) and entity declarations are not allowed; remove the <!DOCTYPE> declaration"
        : $"{what} must not contain a DTD or entity declarations; remove the <!DOCTYPE> declaration";

    public static XElement LoadRoot(string xml, string expectedRoot, int maxElements = MaxElements)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > MaxCharacters)
        {
            throw new VirtException(VirtErrorCode.XmlError,
                $"document is {xml.Length} characters long; the limit is {MaxCharacters}");
        }

        var settings = ReaderSettings(MaxCharacters);
        XDocument document;
        try
        {
            using (var scan = XmlReader.Create(new StringReader(xml), settings))
            {
                int elements = 0;
                while (scan.Read())
                {
                    if (scan.NodeType == XmlNodeType.Element && ++elements > maxElements)
                    {
                        var info = (IXmlLineInfo)scan;
                        throw new VirtException(VirtErrorCode.XmlError,
                            $"the document has more than {maxElements} elements at line {info.LineNumber}, position {info.LinePosition}");
                    }

                    // Depth counts from 0 at the root; only elements count, so text or layout inside the deepest
                    // allowed element does not push the document past the limit.
                    if (scan.NodeType == XmlNodeType.Element && scan.Depth >= MaxDepth)
                    {
                        var info = (IXmlLineInfo)scan;
                        throw new VirtException(VirtErrorCode.XmlError,
                            $"elements are nested deeper than {MaxDepth} levels at line {info.LineNumber}, position {info.LinePosition}");
                    }
                }
            }

            using var reader = XmlReader.Create(new StringReader(xml), settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace);
        }
        catch (XmlException ex) when (IsDtdRefusal(ex))
        {
            throw new VirtException(VirtErrorCode.XmlError, DtdRefused(null), ex);
        }
        catch (XmlException ex)
        {
            throw new VirtException(VirtErrorCode.XmlError, "malformed document: " + ex.Message, ex);
        }

        var root = document.Root ?? throw new VirtException(VirtErrorCode.XmlError, "the document has no root element");
        if (root.Name.LocalName == expectedRoot && root.Name.Namespace != XNamespace.None)
        {
            throw new VirtException(VirtErrorCode.XmlError,
                $"the root element '{expectedRoot}' must not have a namespace (found '{root.Name.NamespaceName}') {At(root)}");
        }

        if (root.Name.LocalName != expectedRoot || root.Name.Namespace != XNamespace.None)
        {
            throw new VirtException(VirtErrorCode.XmlError,
                $"expecting root element of '{expectedRoot}', not '{root.Name.LocalName}' {At(root)}");
        }

        return root;
    }

    /// <summary>
    /// Settings for reading untrusted XML: DTDs prohibited, no resolver (nothing external is fetched), at most
    /// <paramref name="maxCharacters"/> characters in the document and from entities, comments and processing
    /// instructions skipped. With 0 the document is not capped and entities keep the framework's default cap.
    /// </summary>
    public static XmlReaderSettings ReaderSettings(int maxCharacters)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        };
        if (maxCharacters > 0)
        {
            settings.MaxCharactersFromEntities = maxCharacters;
        }

        return settings;
    }

    /// <summary>Whether the reader stopped because the document has a DTD (prohibited by <see cref="ReaderSettings"/>).</summary>
    public static bool IsDtdRefusal(XmlException ex) => ex.Message.Contains("DTD", StringComparison.Ordinal);

    /// <summary>"at line L, position P" for an element or attribute, or an empty string when unknown.</summary>
    public static string At(XObject node)
    {
        var info = (IXmlLineInfo)node;
        return info.HasLineInfo()
            ? string.Create(CultureInfo.InvariantCulture, $"at line {info.LineNumber}, position {info.LinePosition}")
            : string.Empty;
    }

    public static VirtException Error(XObject node, string what, string? hint = null) =>
        new(VirtErrorCode.XmlError, (what + " " + At(node)).TrimEnd() + (hint is null ? string.Empty : "; " + hint));
}
