using System.Xml.Linq;

namespace Virt.Conf;

/// <summary>
/// Unknown attributes kept from the input, attached to a formatted element as an annotation and printed by
/// <see cref="LibvirtXmlWriter"/> after the element's own attributes (an own attribute of the same name wins).
/// Kept apart because XElement checks every added attribute against all the others, which is quadratic in a
/// hostile element with hundreds of thousands of them.
/// </summary>
internal sealed class KeptAttributes
{
    private KeptAttributes(IReadOnlyList<XAttribute> attributes) => Attributes = attributes;

    /// <summary>The attributes, in input order.</summary>
    public IReadOnlyList<XAttribute> Attributes { get; }

    /// <summary>Attaches <paramref name="attributes"/> to <paramref name="element"/> (after any attached before).</summary>
    public static void Attach(XElement element, IReadOnlyList<XAttribute> attributes)
    {
        if (element.Annotation<KeptAttributes>() is { } earlier)
        {
            element.RemoveAnnotations<KeptAttributes>();
            attributes = [.. earlier.Attributes, .. attributes];
        }

        element.AddAnnotation(new KeptAttributes(attributes));
    }

    /// <summary>What the writer prints: the element's own attributes, then the kept ones it does not have.</summary>
    public static IEnumerable<XAttribute> Of(XElement element)
    {
        if (element.Annotation<KeptAttributes>() is not { } kept)
        {
            return element.Attributes();
        }

        var own = element.Attributes().ToList();
        var names = new HashSet<XName>(own.Select(a => a.Name));
        return own.Concat(kept.Attributes.Where(a => names.Add(a.Name)));
    }
}
