using System.Text.RegularExpressions;
using Virt.TestSupport;

namespace Virt.Testing.Tests;

/// <summary>
/// Every input under Defaults/ leaves out what libvirt's test driver fills in; defining it here must
/// give what virsh -c test:///default define + dumpxml --inactive gave (NAME.expected.xml, captured
/// with scripts/capture-virsh-testdriver.sh, generated UUIDs and MACs masked).
/// </summary>
public sealed class DefineDefaultsCorpusTests : TestConnectionFixture
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Defaults");

    public static IEnumerable<string> Documents() => VirshCorpus.Documents(Path.Combine(AppContext.BaseDirectory, "Defaults"));

    [TestCaseSource(nameof(Documents))]
    public void DefineGivesWhatTheTestDriverGives(string document)
    {
        string input = File.ReadAllText(Path.Combine(Folder, document));
        string expected = VirshCorpus.WithKnownDivergences(File.ReadAllText(VirshCorpus.ExpectedPath(Folder, document)), input);

        string ours = Connection.DefineDomain(input).GetXmlDescription(DomainXmlFlags.Inactive);
        ours = Regex.Replace(ours, "<uuid>[0-9a-f-]{36}</uuid>", "<uuid>UUID</uuid>");
        ours = Regex.Replace(ours, "52:54:00(:[0-9a-f]{2}){3}", "MAC");

        Assert.That(ours, Is.EqualTo(expected));
    }
}
