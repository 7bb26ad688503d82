using System.Text;
using Virt.Conf;

namespace Virt.Core.Tests.Conf;

/// <summary>
/// Unknown attributes are kept for the round trip without work quadratic in their number. Each case has 200,000
/// attributes (2.2 MB): when keeping them added them one by one to an XElement (which checks each against all the
/// others), one such element took 28 s to parse; now parsing and formatting cost a few System.Xml reader passes
/// (the reader itself is superlinear in attributes per element, about 2.5 s per pass of 200,000 here), the
/// keeping and formatting a fraction of a second. Nothing here measures time: a regression shows as a slow suite.
/// </summary>
public sealed class KeptAttributesScaleTests
{
    private const int Count = 200_000;
    private const string Body = "<name>x</name><memory>1024</memory><os><type>hvm</type></os>";

    private static string Attributes(string prefix)
    {
        var sb = new StringBuilder(Count * 12);
        for (int i = 0; i < Count; i++)
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
    public void An_unknown_element_with_200k_attributes_round_trips()
    {
        string attributes = Attributes("");
        AssertRoundTrip("<domain type='test'>" + Body + "<unknown" + attributes + "/></domain>", "<unknown" + attributes + "/>");
    }

    [Test]
    public void A_known_element_with_200k_unknown_attributes_round_trips()
    {
        string attributes = Attributes("");
        AssertRoundTrip(
            "<domain type='test'>" + Body + "<devices><disk type='file' device='disk'" + attributes + "><target dev='vda'/></disk></devices></domain>",
            "<disk type='file' device='disk'" + attributes + ">");
    }

    [Test]
    public void An_unknown_element_with_200k_namespaced_attributes_round_trips()
    {
        string attributes = Attributes("q:");
        AssertRoundTrip(
            "<domain type='test'>" + Body + "<unknown xmlns:q='urn:x'" + attributes + "/></domain>",
            "<unknown xmlns:q='urn:x'" + attributes + "/>");
    }
}
