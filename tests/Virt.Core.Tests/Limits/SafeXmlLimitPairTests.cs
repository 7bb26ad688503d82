using Virt.Conf;

namespace Virt.Core.Tests.Limits;

/// <summary>The domain XML limits as pairs: a document exactly at a limit loads, one step past is refused.</summary>
public sealed class SafeXmlLimitPairTests
{
    private static string Nested(int levels, string inner = "") =>
        "<domain>" + string.Concat(Enumerable.Repeat("<x>", levels - 1)) + inner + string.Concat(Enumerable.Repeat("</x>", levels - 1)) + "</domain>";

    private static string Refusal(string xml) => Assert.Throws<VirtException>(() => SafeXml.LoadRoot(xml, "domain"))!.Message;

    [Test]
    public void SixtyFourLevelsOfElementsLoadWithTextOrLayoutInsideAndSixtyFiveAreRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SafeXml.LoadRoot(Nested(SafeXml.MaxDepth, "text"), "domain").Descendants().Count(), Is.EqualTo(SafeXml.MaxDepth - 1));
            Assert.That(SafeXml.LoadRoot(Nested(SafeXml.MaxDepth, "\n  "), "domain").Descendants().Count(), Is.EqualTo(SafeXml.MaxDepth - 1));
            Assert.That(Refusal(Nested(SafeXml.MaxDepth + 1)), Does.StartWith("XML error: elements are nested deeper than 64 levels at line 1"));
        });
    }

    [Test]
    public void FiftyThousandElementsLoadAndOneMoreIsRefused()
    {
        static string Elements(int count) => "<domain>" + string.Concat(Enumerable.Repeat("<x/>", count - 1)) + "</domain>";
        Assert.Multiple(() =>
        {
            Assert.That(SafeXml.LoadRoot(Elements(SafeXml.MaxElements), "domain").Elements().Count(), Is.EqualTo(SafeXml.MaxElements - 1));
            Assert.That(Refusal(Elements(SafeXml.MaxElements + 1)), Does.StartWith("XML error: the document has more than 50000 elements at line 1"));
        });
    }

    [Test]
    public void ADocumentOfExactlyTenMebicharactersLoadsAndOneCharacterMoreIsRefused()
    {
        static string OfLength(int length) => "<domain>" + new string('x', length - "<domain></domain>".Length) + "</domain>";
        Assert.Multiple(() =>
        {
            Assert.That(SafeXml.LoadRoot(OfLength(SafeXml.MaxCharacters), "domain").Value, Has.Length.EqualTo(SafeXml.MaxCharacters - 17));
            Assert.That(Refusal(OfLength(SafeXml.MaxCharacters + 1)), Is.EqualTo("XML error: document is 10485761 characters long; the limit is 10485760"));
        });
    }
}
