using System.Globalization;
using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>
/// Reads the children and attributes of one input element for the parser: the modelled names are
/// declared up front, single-valued ones are checked for duplicates, and everything else is handed
/// to <see cref="ElementExtras"/> so that it survives a round trip.
/// </summary>
internal sealed class XmlChildren
{
    private readonly XElement _element;
    private readonly HashSet<string> _known;

    public XmlChildren(XElement element, params string[] known)
    {
        _element = element;
        _known = new HashSet<string>(known, StringComparer.Ordinal);
    }

    /// <summary>The only child called <paramref name="name"/>, or null; a second one is an error.</summary>
    public XElement? One(string name)
    {
        XElement? found = null;
        foreach (var child in _element.Elements(name))
        {
            if (found is not null)
            {
                throw SafeXml.Error(child,
                    $"element '{name}' appears more than once in {_element.Name.LocalName}", "keep only one");
            }

            found = child;
        }

        return found;
    }

    public IEnumerable<XElement> Many(string name) => _element.Elements(name);

    /// <summary>Stores the unknown children, each anchored to the sibling element before it.</summary>
    public void KeepUnknown(ElementExtras extras)
    {
        string? previous = null;
        foreach (var child in _element.Elements())
        {
            if (child.Name.Namespace != XNamespace.None || !_known.Contains(child.Name.LocalName))
            {
                KeptNormalForms.Apply(_element.Name.LocalName, extras.AddChild(previous, child));
            }

            previous = child.Name.LocalName;
        }
    }

    /// <summary>Stores the unknown attributes and children of a modelled child element under <paramref name="key"/>.</summary>
    public static void KeepPartial(ElementExtras extras, string key, XElement? element, string[] knownAttributes, params string[] knownChildren)
    {
        if (element is null)
        {
            return;
        }

        extras.AddPartial(
            key,
            element.Attributes().Where(a => !a.IsNamespaceDeclaration && !knownAttributes.Contains(a.Name.LocalName)),
            element.Elements().Where(e => !knownChildren.Contains(e.Name.LocalName)));
    }

    /// <summary>Stores only the unknown attributes of <paramref name="element"/> (its children are read with <see cref="KeepUnknown"/>).</summary>
    public static void KeepAttributes(ElementExtras extras, string key, XElement element, params string[] knownAttributes) =>
        extras.AddPartial(key, element.Attributes().Where(a => a.IsNamespaceDeclaration || a.Name.Namespace != XNamespace.None || !knownAttributes.Contains(a.Name.LocalName)), []);

    public static int? Int(XElement? element, string attribute, int min = int.MinValue)
    {
        var a = element?.Attribute(attribute);
        if (a is null)
        {
            return null;
        }

        string v = a.Value.Trim();
        bool ok = v.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(v.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int parsed)
            : int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out parsed);
        if (!ok || parsed < min)
        {
            throw SafeXml.Error(a, $"Invalid value '{a.Value}' for attribute '{attribute}' of element '{element!.Name.LocalName}'");
        }

        return parsed;
    }

    /// <summary>Parses libvirt's yes/no (or on/off) attribute.</summary>
    public static bool? YesNo(XElement? element, string attribute)
    {
        var a = element?.Attribute(attribute);
        return a?.Value switch
        {
            null => null,
            "yes" or "on" => true,
            "no" or "off" => false,
            _ => throw SafeXml.Error(a, $"Invalid value '{a.Value}' for attribute '{attribute}' of element '{element!.Name.LocalName}': expected 'yes' or 'no'"),
        };
    }

    public static string? YesNo(bool? value) => value switch { null => null, true => "yes", false => "no" };
}
