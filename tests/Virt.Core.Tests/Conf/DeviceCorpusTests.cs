using Virt.Conf;
using Virt.TestSupport;

namespace Virt.Core.Tests.Conf;

/// <summary>
/// The device corpus (Conf/DeviceCorpus, written by scripts/device-corpus/make.py, one device class or element family
/// per document; expected outputs captured with <c>CORPUS=DeviceCorpus scripts/capture-virsh-domxml.sh</c>). Each
/// document either formats exactly as virsh 9.0 printed it, or virsh refused it (NAME.refused.txt) and Virt refuses
/// it with the same error code, or it is listed in DIFFERENCES.txt with the reason. The list is exact both ways:
/// a listed document that now matches fails the test too, so the list only ever shrinks by being edited.
/// </summary>
public sealed class DeviceCorpusTests
{
    public static IEnumerable<string> Documents() => CorpusFolders.DocumentsIn(CorpusFolders.Devices);

    [Test]
    public void CorpusHasAtLeastThreeHundredDomainDocumentsAllCaptured()
    {
        var all = CorpusFolders.AllDocuments().ToList();
        var devices = Documents().ToList();

        Assert.That(all, Has.Count.GreaterThanOrEqualTo(300));
        Assert.That(devices.Where(d => !File.Exists(CorpusFolders.ExpectedPath(d)) && !File.Exists(RefusedPath(d))), Is.Empty, "documents virsh was never asked about");
        Assert.That(KnownDifferences().Keys.Where(k => !devices.Contains(k)), Is.Empty, "DIFFERENCES.txt names documents that do not exist");
    }

    [TestCaseSource(nameof(Documents))]
    public void DefineAndDumpxmlMatchVirshOrTheDifferenceIsListed(string document)
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
    public void ReportsHowManyDocumentsAreIdenticalToVirsh()
    {
        var documents = CorpusFolders.AllDocuments().ToList();
        int differing = documents.Count(d => d.StartsWith(CorpusFolders.Devices + "/", StringComparison.Ordinal) && Compare(d).Length > 0);
        int identical = documents.Count - differing;
        TestContext.Out.WriteLine($"domain XML corpus: {identical} of {documents.Count} documents identical to virsh 9.0 (define + dumpxml --inactive, or the same refusal); {differing} listed in DeviceCorpus/DIFFERENCES.txt");

        Assert.That(differing, Is.EqualTo(KnownDifferences().Count));
    }

    /// <summary>Empty when Virt agrees with virsh on <paramref name="document"/>, else what differs.</summary>
    private static string Compare(string document)
    {
        string input = File.ReadAllText(CorpusFolders.InputPath(document));
        if (File.Exists(RefusedPath(document)))
        {
            // virsh prints "Failed to define domain", then the reason, then dumpxml's "failed to get domain".
            var code = VirshCorpus.RefusalCode(RefusedPath(document), VirtErrorCode.InternalError);
            try
            {
                DomainDefinition.Parse(input);
                return $"virsh refused it ({code}), Virt accepted it";
            }
            catch (VirtException e)
            {
                return e.Code == code ? "" : $"virsh refused it with {code}, Virt with {e.Code}: {e.Message}";
            }
        }

        string expected = File.ReadAllText(CorpusFolders.ExpectedPath(document));
        try
        {
            string ours = DomainDefinition.Parse(input).ToXml(DomainXmlFlags.None);
            return ours == expected ? "" : VirshCorpus.FirstDifference(expected, ours);
        }
        catch (VirtException e)
        {
            return "virsh accepted it, Virt refused it: " + e.Message;
        }
    }

    private static string RefusedPath(string document) => CorpusFolders.RefusedPath(document);

    private static Dictionary<string, string> KnownDifferences() =>
        VirshCorpus.KnownDifferences(Path.Combine(CorpusFolders.Folder(CorpusFolders.Devices), "DIFFERENCES.txt"), CorpusFolders.Devices + "/");
}
