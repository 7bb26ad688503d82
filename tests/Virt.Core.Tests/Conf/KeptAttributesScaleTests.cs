using System.Text;
using System.Xml.Linq;
using Virt.Conf;

namespace Virt.Core.Tests.Conf;

/// <summary>
/// Unknown attributes are kept for the round trip without work quadratic in their number. The unknown element has
/// 200,000 attributes (2.2 MB), as in the report: when keeping them added them one by one to an XElement (which checks each against all the
/// others), one such element took 28 s to parse; now parsing and formatting cost a few System.Xml reader passes
/// (the reader itself is superlinear in attributes per element, about 2.5 s per pass of 200,000 here), the
/// keeping and formatting a fraction of a second. Nothing here measures time: a regression shows as a slow suite.
/// </summary>
public sealed class KeptAttributesScaleTests
{
    private const int Count = 200_000;
    private const string Body = "<name>x</name><memory>1024</memory><os><type>hvm</type></os>";

    private static string Attributes(string prefix, int count = Count)
    {
        var sb = new StringBuilder(count * 12);
        for (int i = 0; i < count; i++)
        {
            sb.Append(' ').Append(prefix).Append('a').Append(i).Append("=''");
        }

        return sb.ToString();
    }

    private static void AssertRoundTrip(string xml, string attributeText)
    {
        var def = DomainDefinition.Parse(xml);
        string formatted = def.ToXml();
        Assert.Multiple(() =>
        {
            Assert.That(formatted, Does.Contain(attributeText));
            Assert.That(DomainDefinition.Parse(formatted).ToXml(), Is.EqualTo(formatted));
        });
    }

    [Test]
    public void AnUnknownElementWith200kAttributesRoundTrips()
    {
        string attributes = Attributes("");
        AssertRoundTrip("<domain type='test'>" + Body + "<unknown" + attributes + "/></domain>", "<unknown" + attributes + "/>");
    }

    [Test]
    public void AKnownElementsKeptAttributesAreAppliedWithoutInsertingThemOneByOne()
    {
        // Inserting an attribute into an XElement scans all the others: the count of insertions is the cost.
        const int Kept = 10_000;
        string attributes = string.Concat(Enumerable.Range(0, Kept).Select(i => $" a{i}=''"));
        var extras = new ElementExtras();
        XmlChildren.KeepAttributes(extras, "disk", XElement.Parse("<disk type='file'" + attributes + "/>"), "type");
        var formatted = new XElement("disk", new XAttribute("type", "file"));
        int inserted = 0;
        formatted.Changed += (sender, e) => inserted += sender is XAttribute && e.ObjectChange == XObjectChange.Add ? 1 : 0;

        extras.Apply("disk", formatted);

        Assert.Multiple(() =>
        {
            Assert.That(inserted, Is.Zero);
            Assert.That(LibvirtXmlWriter.Write(formatted), Is.EqualTo("<disk type='file'" + attributes + "/>\n"));
        });
    }

    [Test]
    public void AnUnknownElementWith50kNamespacedAttributesRoundTrips()
    {
        string attributes = Attributes("q:", 50_000);
        AssertRoundTrip(
            "<domain type='test'>" + Body + "<unknown xmlns:q='urn:x'" + attributes + "/></domain>",
            "<unknown xmlns:q='urn:x'" + attributes + "/>");
    }
}
