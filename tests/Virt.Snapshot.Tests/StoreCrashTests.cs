using System.Diagnostics;
using Virt.Snapshot.Store;

namespace Virt.Snapshot.Tests;

/// <summary>
/// Kills a child process between every pair of write steps of a sequence of snapshot operations and reopens the
/// store: it always loads without problems, in the state before or after one whole file operation.
/// </summary>
public class StoreCrashTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("virt-snap-crash-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void KillingTheWriterBeforeAnyStepNeverLeavesATornOrLostSnapshot()
    {
        // Every state the store passes through, observed at each step boundary of an uninterrupted run.
        string dry = Path.Combine(_root, "dry");
        CrashScenario.Seed(dry);
        var observer = new SnapshotMetadataStore(dry);
        var valid = new HashSet<string> { CrashScenario.Describe(observer.Load(removeLeftovers: false)) };
        int total = 0;
        CrashScenario.Run(dry, _ =>
        {
            total++;
            valid.Add(CrashScenario.Describe(observer.Load(removeLeftovers: false)));
        });
        valid.Add(CrashScenario.Describe(observer.Load(removeLeftovers: false)));
        Assert.That(valid.Where(v => v.Contains("problems", StringComparison.Ordinal)), Is.Empty);
        Assert.That(total, Is.GreaterThan(20));

        var seen = new HashSet<string>();
        for (int step = 1; step <= total + 1; step++)
        {
            string dir = Path.Combine(_root, "run" + step);
            CrashScenario.Seed(dir);
            int exitCode = RunChild(dir, step);
            Assert.That(exitCode, step <= total ? Is.Not.Zero : Is.Zero, $"child crashing at step {step}");

            var reopened = new SnapshotMetadataStore(dir).Load();
            string state = CrashScenario.Describe(reopened);
            Assert.Multiple(() =>
            {
                Assert.That(reopened.Diagnostics, Is.Empty, $"crash at step {step}");
                Assert.That(valid, Does.Contain(state), $"crash at step {step}");
                Assert.That(reopened.Tree.FindInconsistency(), Is.Null);
                Assert.That(Directory.GetFiles(dir, ".*"), Is.Empty, "leftover temporary files are removed on load");
            });
            seen.Add(state);
        }

        Assert.That(seen, Has.Count.EqualTo(valid.Count), "every intermediate state was reached by some crash");
    }

    private static int RunChild(string dir, int step)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(typeof(StoreCrashTests).Assembly.Location);
        psi.Environment[CrashScenario.DirVariable] = dir;
        psi.Environment[CrashScenario.StepVariable] = step.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"child for step {step} hung");
        }

        if (p.ExitCode != 0 && p.ExitCode != 137 && p.ExitCode != -1)
        {
            TestContext.Out.WriteLine($"step {step}: exit {p.ExitCode}: {stderr.Result}");
        }

        return p.ExitCode;
    }
}
