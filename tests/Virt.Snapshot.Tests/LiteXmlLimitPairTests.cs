using Virt.Snapshot.Xml;

namespace Virt.Snapshot.Tests;

/// <summary>The limits of snapshot XML (room for an embedded domain) as pairs: exactly at a limit the document loads,
/// one step past it is refused.</summary>
public sealed class LiteXmlLimitPairTests
{
    private const int MaxDepth = 128;
    private const int MaxElements = 100_000;
    private const int MaxCharacters = 16 * 1024 * 1024;

    private static string Refusal(string xml) => Assert.Throws<VirtException>(() => LiteXml.Load(xml, "domain snapshot XML"))!.Message;

    private static int Depth(LiteElement e) => 1 + (e.Elements().Any() ? e.Elements().Max(Depth) : 0);

    [Test]
    public void OneHundredTwentyEightLevelsLoadAndOneMoreIsRefused()
    {
        static string Nested(int levels) => string.Concat(Enumerable.Repeat("<a>\n", levels)) + string.Concat(Enumerable.Repeat("</a>\n", levels));
        Assert.Multiple(() =>
        {
            Assert.That(Depth(LiteXml.Load(Nested(MaxDepth), "domain snapshot XML")), Is.EqualTo(MaxDepth));
            Assert.That(Refusal(Nested(MaxDepth + 1)), Is.EqualTo("XML error: domain snapshot XML nests elements deeper than 128 levels"));
        });
    }

    [Test]
    public void OneHundredThousandElementsLoadAndOneMoreIsRefused()
    {
        static string Elements(int count) => "<domainsnapshot>" + string.Concat(Enumerable.Repeat("<x/>", count - 1)) + "</domainsnapshot>";
        Assert.Multiple(() =>
        {
            Assert.That(LiteXml.Load(Elements(MaxElements), "domain snapshot XML").Elements().Count(), Is.EqualTo(MaxElements - 1));
            Assert.That(Refusal(Elements(MaxElements + 1)), Is.EqualTo("XML error: domain snapshot XML has more than 100000 elements"));
        });
    }

    [Test]
    public void ADocumentOfExactlySixteenMebicharactersLoadsAndOneCharacterMoreIsRefused()
    {
        static string OfLength(int length) => "<d>" + new string('x', length - 7) + "</d>";
        Assert.Multiple(() =>
        {
            Assert.That(LiteXml.Load(OfLength(MaxCharacters), "domain snapshot XML").Name, Is.EqualTo("d"));
            Assert.That(Refusal(OfLength(MaxCharacters + 1)), Is.EqualTo("XML error: domain snapshot XML is 16777217 characters long, more than the limit of 16777216"));
        });
    }
}
