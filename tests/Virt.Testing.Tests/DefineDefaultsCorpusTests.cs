using System.Text.RegularExpressions;

namespace Virt.Testing.Tests;

/// <summary>
/// Every input under Defaults/ leaves out what libvirt's test driver fills in; defining it here must
/// give what virsh -c test:///default define + dumpxml --inactive gave (NAME.expected.xml, captured
/// with scripts/capture-virsh-testdriver.sh, generated UUIDs and MACs masked).
/// </summary>
public sealed class DefineDefaultsCorpusTests : TestConnectionFixture
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Defaults");

    public static IEnumerable<string> Documents() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Defaults"), "*.xml")
            .Where(f => !f.EndsWith(".expected.xml", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(f)!)
            .Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Documents))]
    public void DefineGivesWhatTheTestDriverGives(string document)
    {
        string input = File.ReadAllText(Path.Combine(Folder, document));
        string expected = File.ReadAllText(Path.Combine(Folder, Path.GetFileNameWithoutExtension(document) + ".expected.xml"));

        string ours = Connection.DefineDomain(input).GetXmlDescription(DomainXmlFlags.Inactive);
        ours = Regex.Replace(ours, "<uuid>[0-9a-f-]{36}</uuid>", "<uuid>UUID</uuid>");
        ours = Regex.Replace(ours, "52:54:00(:[0-9a-f]{2}){3}", "MAC");

        // libvirt 9.0 predates <nvram format='...'> and drops it; Virt keeps it (see Virt.Conf's README).
        var format = Regex.Match(input, "<nvram[^>]*format='([^']*)'");
        if (format.Success)
        {
            expected = Regex.Replace(expected, "(<nvram template='[^']*')", "$1 format='" + format.Groups[1].Value + "'");
        }

        Assert.That(ours, Is.EqualTo(expected));
    }
}
