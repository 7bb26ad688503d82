using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Virt.Remote.Tests.Daemon;

/// <summary>
/// <c>virt -c URI</c> and <c>virsh -c URI</c> run the same script against the throwaway libvirtd and print the same
/// thing, apart from the prompt's program name and the clocks (snapshot creation times, the test driver's CPU time
/// that follows the wall clock).
/// </summary>
[TestFixture("tcp")]
[TestFixture("unix")]
public sealed partial class CliAgainstVirshTests(string transport)
{
    private string _dir = null!;

    private string Uri => transport == "tcp" ? ThrowawayLibvirtd.Shared.TcpUri : ThrowawayLibvirtd.Shared.UnixUri;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-remote-cli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ALifecycleAndSnapshotScriptPrintsWhatVirshPrints()
    {
        string name = $"cli-{transport}-{Guid.NewGuid():N}"[..16];
        string xml = Path.Combine(_dir, "dom.xml");
        File.WriteAllText(xml, $"<domain type='test'><name>{name}</name><uuid>{Guid.NewGuid():D}</uuid><memory unit='KiB'>65536</memory><os><type>hvm</type></os></domain>");
        string script = $"""
            list --all
            domstate test --reason
            dominfo test
            define {xml}
            list --all --name
            start {name}
            domstate {name} --reason
            suspend {name}
            list --all
            resume {name}
            dominfo {name}
            snapshot-create-as {name} s1
            snapshot-create-as {name} s2 --description second
            snapshot-list {name}
            snapshot-list {name} --tree
            snapshot-list {name} --roots --name
            snapshot-current {name} --name
            snapshot-parent {name} s2
            snapshot-info {name} s1
            snapshot-dumpxml {name} s1
            snapshot-revert {name} s1
            snapshot-delete {name} s1 --children
            snapshot-list {name}
            destroy {name}
            domstate {name} --reason
            undefine {name}
            domstate {name}
            suspend test
            start test
            uri

            """;

        string virsh = Run("virsh", [], script);
        string virt = Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "virt.dll")], script);

        Assert.That(Mask(virt, "virt"), Is.EqualTo(Mask(virsh, "virsh")));
        Assert.That(virsh, Does.Contain($"\n{name}\n").And.Contain("running (booted)").And.Contain("<name>s1</name>"), "the script ran");
    }

    [Test]
    public void ADaemonThatCannotBeReachedIsReportedAsVirshReportsIt()
    {
        string uri = transport == "tcp" ? "test+tcp://127.0.0.1:1/default" : "test+unix:///default?socket=/nonexistent";
        string virsh = Run("virsh", [], "list --all\n", uri);
        string virt = Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "virt.dll")], "list --all\n", uri);
        Assert.Multiple(() =>
        {
            Assert.That(virt, Is.EqualTo(virsh));
            Assert.That(virsh, Does.Contain("error: failed to connect to the hypervisor\n"));
        });
    }

    private string Run(string program, string[] prefix, string script, string? uri = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in prefix.Concat(["-q", "-c", uri ?? Uri]))
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        if (!p.WaitForExit(60_000))
        {
            p.Kill();
            Assert.Fail($"{program} did not finish within 60 s");
        }

        return stdout.Result + "\n--- stderr ---\n" + stderr.Result + $"--- exit {p.ExitCode} ---";
    }

    private static string Mask(string output, string program)
    {
        // The exit status of a script read from stdin is left out: virt exits 1 after a failed command there where
        // virsh exits 0, a shell difference that is not the remote driver's (reported with issue 13's work).
        string text = ExitStatus().Replace(output, string.Empty).Replace(program + " # ", "PROMPT # ", StringComparison.Ordinal);
        text = Timestamp().Replace(text, "TIME");
        text = CpuTime().Replace(text, "CPU time: MASKED");
        return UnixTime().Replace(text, "<creationTime>MASKED</creationTime>");
    }

    [GeneratedRegex(@"--- exit \d+ ---$")]
    private static partial Regex ExitStatus();

    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"CPU time:\s+\S+")]
    private static partial Regex CpuTime();

    [GeneratedRegex(@"<creationTime>\d+</creationTime>")]
    private static partial Regex UnixTime();
}
