using System.Diagnostics;

namespace Virt.Snapshot.Tests;

/// <summary>Runs the reference <c>virsh -c test:///default</c> (one session per call, so state lives for one call).</summary>
internal static class Virsh
{
    public static bool Available => File.Exists("/usr/bin/virsh");

    public static string Run(string commands)
    {
        Assume.That(Available, "virsh (libvirt-clients) is not installed");
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
    public static List<string> Documents(string output)
    {
        var docs = new List<string>();
        int start = 0;
        while (true)
        {
            int begin = output.IndexOf("<domainsnapshot>", start, StringComparison.Ordinal);
            if (begin < 0)
            {
                return docs;
            }

            const string End = "</domainsnapshot>\n";
            int end = output.IndexOf(End, begin, StringComparison.Ordinal) + End.Length;
            docs.Add(output[begin..end]);
            start = end;
        }
    }
}
