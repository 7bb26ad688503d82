using System.Xml.Linq;
using Virt.Conf;
using Virt.TestSupport;

namespace Virt.Core.Tests.Conf;

/// <summary>
/// The round-trip rule: whatever the model does not understand is kept, in its place. Every element of every corpus
/// document gets an attribute the model cannot know (<c>virtx='N'</c>) and, unless it holds text, a child it cannot
/// know (<c>&lt;virtx n='N'/&gt;</c>). The formatted result must carry each of them on an element at the same path
/// as in the input, both on the same element, and be otherwise what the plain document formats to. The one exception
/// is a child of <c>&lt;features&gt;</c>: libvirt refuses a feature it does not know, and so does Virt.
/// </summary>
public sealed class UnknownContentRoundTripTests
{
    private const string Marker = "virtx";

    /// <summary>Every corpus document libvirt accepts.</summary>
    public static IEnumerable<string> Documents() => CorpusFolders.AllDocuments().Where(d => !File.Exists(CorpusFolders.RefusedPath(d)));

    [TestCaseSource(nameof(Documents))]
    public void UnknownAttributesAndChildrenAtEveryLevelAreKeptInPlace(string document)
    {
        string input = File.ReadAllText(CorpusFolders.InputPath(document));
        string plain = DomainDefinition.Parse(input).ToXml();
        var (injected, paths) = Inject(input);

        string ours = DomainDefinition.Parse(injected).ToXml();
        var output = XDocument.Parse(ours);

        var missing = new List<string>();
        foreach (var (n, (path, child)) in paths)
        {
            bool found = output.Descendants()
                .Where(e => (string?)e.Attribute(Marker) == n && PathOf(e) == path)
                .Any(e => !child || e.Elements(Marker).Any(c => (string?)c.Attribute("n") == n));
            if (!found)
            {
                missing.Add($"{path} #{n}{(child ? " (attribute and child)" : " (attribute)")}");
            }
        }

        Assert.That(missing, Is.Empty, "unknown content lost or moved");
        Assert.That(LibvirtText(Strip(output)), Is.EqualTo(plain), "the rest of the document changed");
    }

    [Test]
    public void AnUnknownFeatureIsRefusedAsLibvirtRefusesIt()
    {
        string input = File.ReadAllText(CorpusFolders.InputPath(CorpusFolders.Exact + "/22-features-order.xml"))
            .Replace("<acpi/>", "<acpi/><virtx/>", StringComparison.Ordinal);

        var error = Assert.Throws<VirtException>(() => DomainDefinition.Parse(input));

        Assert.That(error!.Code, Is.EqualTo(VirtErrorCode.ConfigUnsupported));
        Assert.That(error.Message, Is.EqualTo("unsupported configuration: unexpected feature 'virtx'"));
    }

    private static (string Xml, Dictionary<string, (string Path, bool Child)> Paths) Inject(string input)
    {
        var doc = XDocument.Parse(input);
        var paths = new Dictionary<string, (string, bool)>();
        int next = 0;
        foreach (var element in doc.Root!.DescendantsAndSelf().ToList())
        {
            string n = (next++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            element.SetAttributeValue(Marker, n);
            bool holdsText = element.Nodes().OfType<XText>().Any(t => !string.IsNullOrWhiteSpace(t.Value));
            bool child = !holdsText && element.Name.LocalName != "features";
            if (child)
            {
                element.Add(new XElement(Marker, new XAttribute("n", n)));
            }

            paths[n] = (PathOf(element), child);
        }

        return (doc.ToString(SaveOptions.DisableFormatting), paths);
    }

    private static XDocument Strip(XDocument output)
    {
        output.Descendants(Marker).ToList().ForEach(e => e.Remove());
        output.Descendants().Attributes(Marker).ToList().ForEach(a => a.Remove());
        return output;
    }

    /// <summary>The stripped output printed again through the model, so that both sides are in libvirt's layout.</summary>
    private static string LibvirtText(XDocument stripped) => DomainDefinition.Parse(stripped.ToString()).ToXml();

    private static string PathOf(XElement element) =>
        string.Join('/', element.AncestorsAndSelf().Reverse().Select(e => e.Name.LocalName));
}
