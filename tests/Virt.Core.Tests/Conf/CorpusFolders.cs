using Virt.TestSupport;

namespace Virt.Core.Tests.Conf;

/// <summary>
/// The two domain XML corpora: Conf/Corpus (documents that must format exactly as virsh printed them) and
/// Conf/DeviceCorpus (one device class or element family per document, compared with a list of known differences).
/// Documents are named FOLDER/NAME.xml.
/// </summary>
internal static class CorpusFolders
{
    public const string Exact = "Corpus";

    public const string Devices = "DeviceCorpus";

    public static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "Conf", name);

    public static IEnumerable<string> DocumentsIn(string name) =>
        Directory.Exists(Folder(name)) ? VirshCorpus.Documents(Folder(name)).Select(d => name + "/" + d) : [];

    public static IEnumerable<string> AllDocuments() => DocumentsIn(Exact).Concat(DocumentsIn(Devices));

    public static string InputPath(string document) => Path.Combine(AppContext.BaseDirectory, "Conf", document);

    /// <summary>Where virsh's error is kept for a document it refused.</summary>
    public static string RefusedPath(string document) => Path.ChangeExtension(InputPath(document), null) + ".refused.txt";

    public static string ExpectedPath(string document) =>
        VirshCorpus.ExpectedPath(Path.GetDirectoryName(InputPath(document))!, Path.GetFileName(document));
}
