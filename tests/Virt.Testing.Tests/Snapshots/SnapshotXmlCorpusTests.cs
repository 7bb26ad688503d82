using System.Text.RegularExpressions;
using Virt.TestSupport;

namespace Virt.Testing.Tests.Snapshots;

/// <summary>
/// The snapshot XML corpus (Snapshots/Corpus, written by scripts/snapshot-corpus/make.py from libvirt's formatsnapshot
/// documentation; expected outputs captured with scripts/capture-virsh-snapshotxml.sh). For each document, domain.xml
/// is defined on test:///default, the document is given to snapshot-create --redefine (plain create for NN-create-*)
/// and the snapshot's XML must be what virsh 9.0 printed (a plain create's creationTime masked), or virsh refused it
/// and Virt refuses it with the same error code, or the document is listed in DIFFERENCES.txt with the reason.
/// </summary>
public sealed class SnapshotXmlCorpusTests : TestConnectionFixture
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Snapshots", "Corpus");

    public static IEnumerable<string> Documents() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Snapshots", "Corpus"), "*.xml")
            .Select(Path.GetFileName)
            .Where(f => f is not null && char.IsAsciiDigit(f[0]) && !f.EndsWith(".expected.xml", StringComparison.Ordinal))
            .Select(f => f!)
            .Order(StringComparer.Ordinal);

    [Test]
    public void CorpusHasAtLeastSixtySnapshotDocumentsAllCaptured()
    {
        var documents = Documents().ToList();

        Assert.That(documents, Has.Count.GreaterThanOrEqualTo(60));
        Assert.That(documents.Where(d => !File.Exists(Expected(d)) && !File.Exists(Refused(d))), Is.Empty, "documents virsh was never asked about");
        Assert.That(KnownDifferences().Keys.Where(k => !documents.Contains(k)), Is.Empty, "DIFFERENCES.txt names documents that do not exist");
    }

    [TestCaseSource(nameof(Documents))]
    public void RedefineOrCreateThenDumpxmlMatchVirshOrTheDifferenceIsListed(string document)
    {
        string outcome = Compare(document);
        bool listed = KnownDifferences().TryGetValue(document, out string? reason);

        if (outcome.Length == 0)
        {
            Assert.That(listed, Is.False, $"{document} now matches virsh: remove it from DIFFERENCES.txt ({reason})");
        }
        else
        {
            Assert.That(listed, Is.True, $"{document} differs from virsh and is not listed in DIFFERENCES.txt:\n{outcome}");
        }
    }

    [Test]
    public void ReportsHowManySnapshotDocumentsAreIdenticalToVirsh()
    {
        var documents = Documents().ToList();
        int differing = documents.Count(d => Compare(d).Length > 0);
        TestContext.Out.WriteLine($"snapshot XML corpus: {documents.Count - differing} of {documents.Count} documents identical to virsh 9.0 (snapshot-create [--redefine] + snapshot-dumpxml, or the same refusal); {differing} listed in Snapshots/Corpus/DIFFERENCES.txt");

        Assert.That(differing, Is.EqualTo(KnownDifferences().Count));
    }

    /// <summary>Empty when Virt agrees with virsh on <paramref name="document"/>, else what differs.</summary>
    private string Compare(string document)
    {
        // Each document starts from the bare domain, as each virsh run does on a fresh test:///default.
        var domain = Open().DefineDomain(File.ReadAllText(Path.Combine(Folder, "domain.xml")));
        try
        {
            return Compare(document, domain);
        }
        finally
        {
            domain.Undefine(DomainUndefineFlags.SnapshotsMetadata);
        }
    }

    private static string Compare(string document, IVirtDomain domain)
    {
        bool create = Regex.IsMatch(document, "^[0-9]+-create-");
        string input = File.ReadAllText(Path.Combine(Folder, document));
        string ours;
        try
        {
            var snapshot = domain.CreateSnapshot(input, create ? SnapshotCreateFlags.None : SnapshotCreateFlags.Redefine);
            ours = snapshot.GetXmlDescription();
        }
        catch (VirtException e)
        {
            return File.Exists(Refused(document))
                ? (e.Code == ExpectedCode(document) ? "" : $"virsh refused it with {ExpectedCode(document)}, Virt with {e.Code}: {e.Message}")
                : "virsh accepted it, Virt refused it: " + e.Message;
        }

        if (File.Exists(Refused(document)))
        {
            return $"virsh refused it ({ExpectedCode(document)}), Virt accepted it";
        }

        if (create)
        {
            ours = Regex.Replace(ours, "<creationTime>[0-9]+</creationTime>", "<creationTime>TIME</creationTime>");
            ours = Regex.Replace(ours, "<name>[0-9]{10}</name>", "<name>TIME</name>");
        }

        string expected = File.ReadAllText(Expected(document)).TrimEnd('\n');
        ours = ours.TrimEnd('\n');
        if (ours == expected)
        {
            return "";
        }

        return VirshCorpus.FirstDifference(expected, ours);
    }

    private static VirtErrorCode ExpectedCode(string document) => VirshCorpus.RefusalCode(Refused(document), VirtErrorCode.XmlError);

    private static string Expected(string document) => Path.Combine(Folder, Path.GetFileNameWithoutExtension(document) + ".expected.xml");

    private static string Refused(string document) => Path.Combine(Folder, Path.GetFileNameWithoutExtension(document) + ".refused.txt");

    private static Dictionary<string, string> KnownDifferences() => VirshCorpus.KnownDifferences(Path.Combine(Folder, "DIFFERENCES.txt"));
}
