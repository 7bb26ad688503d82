using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Virt.TestSupport;

/// <summary>
/// The reference: <c>virsh -c test:///default</c>, one session per call (so state lives for one call).
/// Linked into the test projects that compare against it.
/// </summary>
internal static partial class ReferenceVirsh
{
    public static string Run(string commands)
    {
        Assume.That(File.Exists("/usr/bin/virsh"), "virsh (libvirt-clients) is not installed");
        var psi = new ProcessStartInfo("virsh") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-q");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("test:///default");
        psi.ArgumentList.Add(commands);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            Assert.Fail("virsh did not finish within 30 s");
        }

        _ = stderr.Result;
        return stdout;
    }

    /// <summary>Splits the output of several snapshot-dumpxml commands into documents.</summary>
    public static List<string> SnapshotDocuments(string output)
    {
        var docs = new List<string>();
        foreach (Match m in DocumentPattern().Matches(output))
        {
            docs.Add(m.Value);
        }

        return docs;
    }

    /// <summary>Creation times differ between two runs; make them comparable.</summary>
    public static string WithoutCreationTime(string xml) => CreationTimePattern().Replace(xml, "<creationTime>T</creationTime>");

    [GeneratedRegex("<domainsnapshot>\n.*?</domainsnapshot>\n", RegexOptions.Singleline)]
    private static partial Regex DocumentPattern();

    [GeneratedRegex("<creationTime>[0-9]+</creationTime>")]
    private static partial Regex CreationTimePattern();
}
