using Virt.Conf;
using Virt.TestSupport;

namespace Virt.Core.Tests.Conf;

/// <summary>
/// Every document under Conf/Corpus is parsed and formatted; the result must equal what libvirt's
/// formatter printed for the same input (NAME.expected.xml, captured with
/// scripts/capture-virsh-domxml.sh from virsh -c test:///default define + dumpxml --inactive), and
/// formatting must be stable: parse(format(x)) formats to the same text.
/// </summary>
public sealed class DomainXmlCorpusTests
{
    private static readonly string CorpusDirectory = Path.Combine(TestContext.CurrentContext.TestDirectory, "Conf", "Corpus");

    public static IEnumerable<string> Documents() => VirshCorpus.Documents(Path.Combine(AppContext.BaseDirectory, "Conf", "Corpus"));

    [Test]
    public void CorpusHasAtLeastThirtyDocumentsEachWithExpectedOutput()
    {
        var documents = Documents().ToList();
        Assert.That(documents, Has.Count.GreaterThanOrEqualTo(30));
        Assert.That(documents.Where(d => !File.Exists(ExpectedPath(d))), Is.Empty, "documents without a captured .expected.xml");
    }

    [TestCaseSource(nameof(Documents))]
    public void FormatEqualsVirshDumpxml(string document)
    {
        string input = File.ReadAllText(Path.Combine(CorpusDirectory, document));
        string expected = File.ReadAllText(ExpectedPath(document));

        string ours = DomainDefinition.Parse(input).ToXml();

        Assert.That(ours, Is.EqualTo(VirshCorpus.WithKnownDivergences(expected, input)));
    }

    [TestCaseSource(nameof(Documents))]
    public void ParseFormatIsStable(string document)
    {
        string input = File.ReadAllText(Path.Combine(CorpusDirectory, document));

        string once = DomainDefinition.Parse(input).ToXml();
        string twice = DomainDefinition.Parse(once).ToXml();

        Assert.That(twice, Is.EqualTo(once));
    }

    private static string ExpectedPath(string document) => VirshCorpus.ExpectedPath(CorpusDirectory, document);
}
