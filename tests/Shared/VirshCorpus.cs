using System.Text.RegularExpressions;

namespace Virt.TestSupport;

/// <summary>
/// A folder of domain XML inputs (NAME.xml) next to what virsh printed for each (NAME.expected.xml).
/// Linked into the test projects that hold such a corpus.
/// </summary>
internal static class VirshCorpus
{
    /// <summary>The input documents' file names in <paramref name="folder"/>, in ordinal order.</summary>
    public static IEnumerable<string> Documents(string folder) =>
        Directory.GetFiles(folder, "*.xml")
            .Where(f => !f.EndsWith(".expected.xml", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(f)!)
            .Order(StringComparer.Ordinal);

    /// <summary>Where virsh's output for <paramref name="document"/> is kept.</summary>
    public static string ExpectedPath(string folder, string document) =>
        Path.Combine(folder, Path.GetFileNameWithoutExtension(document) + ".expected.xml");

    /// <summary>
    /// <paramref name="expected"/> adjusted where Virt deliberately prints more than libvirt 9.0 (the virsh on
    /// this machine) does for <paramref name="input"/>.
    /// </summary>
    public static string WithKnownDivergences(string expected, string input)
    {
        // libvirt 9.0 predates <nvram format='...'> (added in 9.2) and drops it; Virt keeps it
        // because a qcow2 NVRAM is how it stores UEFI state in snapshots.
        var format = Regex.Match(input, "<nvram[^>]*format='([^']*)'");
        if (format.Success)
        {
            expected = Regex.Replace(expected, "(<nvram template='[^']*')", "$1 format='" + format.Groups[1].Value + "'");
        }

        return expected;
    }
}
