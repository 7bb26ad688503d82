namespace Virt.Cli.Tests;

/// <summary>
/// scripts/test.sh (CI's test command) closes with "Tests: N passed, N failed, N skipped" summed over
/// the projects' trx files. NUnit's ignored tests are written as results with
/// outcome NotExecuted while the trx counter notExecuted stays 0, as in the trimmed trx below.
/// </summary>
public sealed class TestScriptSummaryTests
{
    [Test]
    public void SkippedCountsNUnitsIgnoredTestsAcrossProjects()
    {
        string dir = Directory.CreateTempSubdirectory("virt-trx-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.trx"), Trx(("Passed", 2), ("Failed", 1), ("NotExecuted", 3)));
            File.WriteAllText(Path.Combine(dir, "b.trx"), Trx(("Passed", 4), ("NotExecuted", 1)));
            var (code, stdout, stderr) = Bash(ScriptPath, "--summarize", dir);
            Assert.Multiple(() =>
            {
                Assert.That(stdout, Is.EqualTo("Tests: 6 passed, 1 failed, 4 skipped\n"));
                Assert.That(stderr, Is.Empty);
                Assert.That(code, Is.EqualTo(0));
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string ScriptPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "scripts", "test.sh");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("scripts/test.sh not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A trx as VSTest writes it for NUnit: one UnitTestResult per test, counters without the skipped ones.</summary>
    private static string Trx(params (string Outcome, int Count)[] results)
    {
        var lines = new List<string>
        {
            "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?>",
            "<TestRun id=\"a79675ca-b419-4eae-910d-9ae0f6395caa\" name=\"@vm\" xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\">",
            "  <Results>",
        };
        int n = 0;
        foreach (var (outcome, count) in results)
        {
            for (int i = 0; i < count; i++, n++)
            {
                lines.Add($"    <UnitTestResult executionId=\"e{n}\" testId=\"t{n}\" testName=\"Case(&quot;x{n}&gt;&quot;)\" computerName=\"vm\" "
                    + $"duration=\"00:00:00.0010000\" outcome=\"{outcome}\" testListId=\"l\" relativeResultsDirectory=\"e{n}\" />");
            }
        }

        int passed = results.Where(r => r.Outcome == "Passed").Sum(r => r.Count);
        int failed = results.Where(r => r.Outcome == "Failed").Sum(r => r.Count);
        lines.Add("  </Results>");
        lines.Add("  <ResultSummary outcome=\"Completed\">");
        lines.Add($"    <Counters total=\"{n}\" executed=\"{passed + failed}\" passed=\"{passed}\" failed=\"{failed}\" error=\"0\" timeout=\"0\" aborted=\"0\" "
            + "inconclusive=\"0\" passedButRunAborted=\"0\" notRunnable=\"0\" notExecuted=\"0\" disconnected=\"0\" warning=\"0\" completed=\"0\" inProgress=\"0\" pending=\"0\" />");
        lines.Add("  </ResultSummary>");
        lines.Add("</TestRun>");
        return string.Join("\r\n", lines) + "\r\n";
    }

    private static (int Code, string Stdout, string Stderr) Bash(params string[] args) => CliRunner.RunProcess("bash", args);
}
