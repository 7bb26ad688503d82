using System.Text.RegularExpressions;
using Virt.Cli.Commands;

namespace Virt.Cli.Tests;

/// <summary>
/// <c>virt event</c> while a second connection changes domains, against what virsh printed for the same case
/// (scripts/capture-virsh-events.sh: virsh's watcher and operations on two connections to one libvirtd serving
/// test:///default). Here both run in-process on the shared test host: the watcher on a thread of its own, the
/// operations once it has subscribed. Only the timestamps of <c>--timestamp</c> are masked.
/// </summary>
[NonParallelizable]
public sealed partial class EventGoldenTests
{
    private static readonly string CaseDirectory = Path.Combine(GoldenCase.Directory, "Events");

    public static IEnumerable<string> Cases() =>
        Directory.EnumerateFiles(CaseDirectory, "*.watch").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Cases))]
    public void WatcherPrintsWhatVirshPrinted(string name)
    {
        string watch = Read(name, ".watch");
        string operations = Read(name, ".ops");
        string saved = Environment.CurrentDirectory;
        using var subscribed = new ManualResetEventSlim();
        CliRunner.Result? watcher = null;
        CliRunner.Result ops;
        try
        {
            Environment.CurrentDirectory = GoldenCase.FilesDirectory;
            EventCommand.OnWatching = subscribed.Set;
            var thread = new Thread(() => watcher = CliRunner.RunProgram(["-c", "test:///default", watch]));
            thread.Start();
            Assert.That(subscribed.Wait(TimeSpan.FromSeconds(60)), Is.True, "the watcher subscribed");
            ops = CliRunner.RunProgram(["-c", "test:///default", operations]);
            thread.Join();
        }
        finally
        {
            EventCommand.OnWatching = null;
            Environment.CurrentDirectory = saved;
        }

        int virshExit = int.Parse(Read(name, ".rc").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(ops.Stderr, Is.Empty, "the operations succeed");
            Assert.That(Mask(watcher!.Stdout), Is.EqualTo(Mask(Read(name, ".out"))), "stdout");
            Assert.That(watcher.Stderr, Is.EqualTo(Read(name, ".err")), "stderr");
            Assert.That(watcher.ExitCode, Is.EqualTo(virshExit), "exit status");
        });
    }

    [Test]
    public void EveryCaseHasCapturedOutput()
    {
        Assert.That(Cases(), Is.Not.Empty);
        foreach (string name in Cases())
        {
            foreach (string ext in new[] { ".ops", ".out", ".err", ".rc" })
            {
                Assert.That(File.Exists(Path.Combine(CaseDirectory, name + ext)), Is.True, name + ext + " missing: run scripts/capture-virsh-events.sh");
            }
        }
    }

    private static string Read(string name, string extension) => File.ReadAllText(Path.Combine(CaseDirectory, name + extension));

    private static string Mask(string text) => Timestamp().Replace(text, "YYYY-MM-DD hh:mm:ss.mmm+0000: ");

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\+0000: ", RegexOptions.Multiline)]
    private static partial Regex Timestamp();
}
