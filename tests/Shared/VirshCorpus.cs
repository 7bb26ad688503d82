using System.Text.RegularExpressions;

namespace Virt.TestSupport;

/// <summary>
/// A folder of domain XML inputs (NAME.xml) next to what virsh printed for each (NAME.expected.xml; for the running
/// domain NAME.live.xml).
/// Linked into the test projects that hold such a corpus.
/// </summary>
internal static class VirshCorpus
{
    /// <summary>The input documents' file names in <paramref name="folder"/>, in ordinal order.</summary>
    public static IEnumerable<string> Documents(string folder) =>
        Directory.GetFiles(folder, "*.xml")
            .Where(f => !f.EndsWith(".expected.xml", StringComparison.Ordinal) && !f.EndsWith(".live.xml", StringComparison.Ordinal))
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

    /// <summary>
    /// The code of virsh's refusal kept in <paramref name="refusedFile"/>: the libvirt error prefix of its first
    /// <c>error: </c> line that is not virsh's own "Failed to ..." line; <paramref name="fallback"/> when no code's
    /// prefix matches.
    /// </summary>
    public static VirtErrorCode RefusalCode(string refusedFile, VirtErrorCode fallback)
    {
        string message = File.ReadAllLines(refusedFile)
            .First(l => l.StartsWith("error: ", StringComparison.Ordinal) && !l.StartsWith("error: Failed to", StringComparison.Ordinal))["error: ".Length..];
        return Enum.GetValues<VirtErrorCode>()
            .Select(c => (Code: c, Prefix: new VirtException(c, "").Message))
            .Where(p => p.Prefix.Length > 0 && message.StartsWith(p.Prefix + ":", StringComparison.Ordinal))
            .Select(p => (VirtErrorCode?)p.Code)
            .FirstOrDefault() ?? fallback;
    }

    /// <summary>The first line where <paramref name="ours"/> differs from virsh's <paramref name="expected"/>, for a message.</summary>
    public static string FirstDifference(string expected, string ours)
    {
        var e = expected.Split('\n');
        var o = ours.Split('\n');
        int first = 0;
        while (first < e.Length && first < o.Length && e[first] == o[first])
        {
            first++;
        }

        return $"first difference at line {first + 1}:\n  virsh: {(first < e.Length ? e[first] : "(end)")}\n  Virt:  {(first < o.Length ? o[first] : "(end)")}";
    }

    /// <summary>A DIFFERENCES.txt (<c>NAME.xml: reason</c> per line, <c>#</c> comments) by document name, each name
    /// prefixed with <paramref name="namePrefix"/>.</summary>
    public static Dictionary<string, string> KnownDifferences(string differencesFile, string namePrefix = "") =>
        File.ReadAllLines(differencesFile)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(": ", 2))
            .ToDictionary(p => namePrefix + p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
}
