using System.Text.RegularExpressions;
using Virt.TestSupport;

namespace Virt.Testing.Tests;

/// <summary>
/// Issue 12 item 2, live: every document of the two domain XML corpora that virsh 9.0 runs on test:///default is
/// defined, started and dumped here, and must print what virsh printed for the running domain (NAME.live.xml, captured
/// by scripts/capture-virsh-domxml-live.sh), or be listed in LiveCorpus/DIFFERENCES.txt with the reason. The domain id,
/// the generated VM generation ID, MAC addresses and openvswitch interface id are random or counted per host and masked on
/// both sides. The inactive XML of the same documents defined through the test driver is compared too.
/// </summary>
public sealed partial class LiveXmlCorpusTests : TestConnectionFixture
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "LiveCorpus");

    public static IEnumerable<string> Documents() =>
        Directory.GetFiles(Folder, "*.live.xml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Folder, f).Replace('\\', '/').Replace(".live.xml", ".xml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    [Test]
    public void EveryDocumentVirshRunsWasCaptured()
    {
        var inputs = new[] { "Corpus", "DeviceCorpus" }
            .SelectMany(d => VirshCorpus.Documents(Path.Combine(Folder, d)).Select(n => d + "/" + n))
            .Where(d => File.Exists(Path.Combine(Folder, d.Replace(".xml", ".expected.xml", StringComparison.Ordinal))));

        Assert.That(inputs.Except(Documents()), Is.Empty, "run scripts/capture-virsh-domxml-live.sh");
        Assert.That(Documents().Count(), Is.GreaterThanOrEqualTo(400));
    }

    [TestCaseSource(nameof(Documents))]
    public void StartAndDumpxmlMatchVirshOrTheDifferenceIsListed(string document)
    {
        string input = File.ReadAllText(Path.Combine(Folder, document));
        string expected = Masked(VirshCorpus.WithKnownDivergences(File.ReadAllText(Path.Combine(Folder, document.Replace(".xml", ".live.xml", StringComparison.Ordinal))), input));
        var domain = Connection.DefineDomain(input);
        if (!domain.IsActive)
        {
            domain.Start();
        }

        Check(document, expected, Masked(domain.GetXmlDescription()));
    }

    /// <summary>The same documents defined through the test driver and dumped with <c>--inactive</c>: what virsh printed
    /// (NAME.expected.xml), now with the driver's defaults applied as libvirt's test driver applies them, so only the
    /// elements Virt deliberately keeps differ (the same list).</summary>
    [TestCaseSource(nameof(Documents))]
    public void DefineAndDumpxmlInactiveThroughTheTestDriverMatchVirshOrTheDifferenceIsListed(string document)
    {
        string input = File.ReadAllText(Path.Combine(Folder, document));
        string expected = Masked(VirshCorpus.WithKnownDivergences(File.ReadAllText(Path.Combine(Folder, document.Replace(".xml", ".expected.xml", StringComparison.Ordinal))), input));

        var domain = Connection.DefineDomain(input);

        Check(document, expected, Masked(domain.GetXmlDescription(DomainXmlFlags.Inactive)));
    }

    private static void Check(string document, string expected, string ours)
    {
        bool listed = VirshCorpus.KnownDifferences(Path.Combine(Folder, "DIFFERENCES.txt")).TryGetValue(document, out string? reason);
        if (ours == expected)
        {
            Assert.That(listed, Is.False, $"{document} now matches virsh: remove it from LiveCorpus/DIFFERENCES.txt ({reason})");
        }
        else
        {
            Assert.That(listed, Is.True, $"{document} differs from virsh and is not listed in LiveCorpus/DIFFERENCES.txt:\n{VirshCorpus.FirstDifference(expected, ours)}");
        }
    }

    private static string Masked(string xml)
    {
        xml = DomainId().Replace(xml, "$1 id='ID'>", 1);
        xml = GenId().Replace(xml, "<genid>GENID</genid>");
        xml = Mac().Replace(xml, "MAC");
        return InterfaceId().Replace(xml, "interfaceid='IFID'");
    }

    [GeneratedRegex("^(<domain [^>]*?) id='[0-9]+'>")]
    private static partial Regex DomainId();

    [GeneratedRegex("<genid>[0-9a-f-]{36}</genid>")]
    private static partial Regex GenId();

    [GeneratedRegex("52:54:00(:[0-9a-f]{2}){3}")]
    private static partial Regex Mac();

    [GeneratedRegex("interfaceid='[0-9a-f-]{36}'")]
    private static partial Regex InterfaceId();
}
