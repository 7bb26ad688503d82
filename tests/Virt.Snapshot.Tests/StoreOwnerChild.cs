using System.Diagnostics;
using System.Globalization;

namespace Virt.Snapshot.Tests;

/// <summary>
/// Another process owning a store: it saves a snapshot, leaves a temporary file as a writer in the middle of a write
/// would, prints "ready" and holds the store until its standard input closes.
/// </summary>
internal static class StoreOwnerChild
{
    public const string DirVariable = "VIRT_SNAPSHOT_OWNER_DIR";
    public const string InFlightTemp = ".b.xml.0123456789ab.tmp";

    public static int Run(string dir)
    {
        using var store = new SnapshotMetadataStore(dir);
        new SnapshotTree().Add(TreeBuilder.Def("a"), false, store);
        File.WriteAllText(Path.Combine(dir, InFlightTemp), "<domainsnapshot><name>b</na");
        Console.WriteLine("ready");
        Console.Out.Flush();
        _ = Console.In.ReadToEnd();
        return 0;
    }

    /// <summary>Starts the child on <paramref name="dir"/> and waits until it owns the store.</summary>
    public static Process Start(string dir)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(typeof(StoreOwnerChild).Assembly.Location);
        psi.Environment[DirVariable] = dir;
        var p = Process.Start(psi)!;
        string? line = p.StandardOutput.ReadLine();
        if (line != "ready")
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("store owner child did not start: " + line + p.StandardError.ReadToEnd());
        }

        return p;
    }

    /// <summary>Lets the child release the store and exit.</summary>
    public static void Stop(Process p)
    {
        p.StandardInput.Close();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("store owner child did not exit");
        }

        Assert.That(p.ExitCode, Is.Zero, p.StandardError.ReadToEnd());
    }

    public static string Pid(Process p) => p.Id.ToString(CultureInfo.InvariantCulture);
}
