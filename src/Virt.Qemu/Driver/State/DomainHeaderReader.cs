using System.Xml;
using Virt.Conf;

namespace Virt.Qemu.Driver.State;

/// <summary>
/// The name and UUID of a stored domain definition, for listing, without building the definition: one forward pass
/// of a safe <see cref="XmlReader"/> over the whole file (so a truncated or malformed file is refused as the full
/// parse refuses it), checking the root and the two elements as <see cref="DomainDefinition.Parse"/> does. Everything
/// else in the file is checked where the definition is used, by the full parse.
/// </summary>
internal static class DomainHeaderReader
{
    /// <summary>The identity that <paramref name="xml"/> gives its domain.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/> when the document is not well formed, its root
    /// is not <c>&lt;domain&gt;</c> with a type, or its name or UUID is missing, repeated or malformed.</exception>
    public static DomainHeader Read(string xml)
    {
        if (xml.Length > SafeXml.MaxCharacters)
        {
            throw new VirtException(VirtErrorCode.XmlError, $"document is {xml.Length} characters long; the limit is {SafeXml.MaxCharacters}");
        }

        string? name = null;
        string? uuid = null;
        bool sawRoot = false;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), SafeXml.ReaderSettings(SafeXml.MaxCharacters));
            // Reading an element's text leaves the reader on the node after it, which the next turn must look at.
            bool onNextNode = false;
            while (onNextNode || reader.Read())
            {
                onNextNode = false;
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.Depth >= SafeXml.MaxDepth)
                {
                    throw new VirtException(VirtErrorCode.XmlError, $"elements are nested deeper than {SafeXml.MaxDepth} levels");
                }

                if (reader.Depth == 0)
                {
                    sawRoot = true;
                    if (reader.LocalName != "domain" || reader.NamespaceURI.Length != 0)
                    {
                        throw new VirtException(VirtErrorCode.XmlError, $"expecting root element of 'domain', not '{reader.LocalName}'");
                    }

                    if (reader.GetAttribute("type") is null)
                    {
                        throw new VirtException(VirtErrorCode.XmlError, "missing domain type attribute");
                    }
                }
                else if (reader.Depth == 1 && reader.NamespaceURI.Length == 0 && reader.LocalName is "name" or "uuid")
                {
                    bool isName = reader.LocalName == "name";
                    if ((isName ? name : uuid) is not null)
                    {
                        throw new VirtException(VirtErrorCode.XmlError, $"more than one <{reader.LocalName}> element");
                    }

                    string value = reader.ReadElementContentAsString();
                    _ = isName ? name = value : uuid = value;
                    onNextNode = true;
                }
            }
        }
        catch (XmlException e)
        {
            throw new VirtException(VirtErrorCode.XmlError, "malformed document: " + e.Message, e);
        }

        if (!sawRoot || string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new VirtException(VirtErrorCode.XmlError, "missing name information: the required element 'name' is missing or empty in domain");
        }

        if (uuid is null)
        {
            return new DomainHeader(name, null);
        }

        return Guid.TryParseExact(uuid.Trim(), "D", out var g) || Guid.TryParseExact(uuid.Trim(), "N", out g)
            ? new DomainHeader(name, g)
            : throw new VirtException(VirtErrorCode.XmlError, "malformed uuid element");
    }
}
