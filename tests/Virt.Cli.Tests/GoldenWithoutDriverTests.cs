namespace Virt.Cli.Tests;

/// <summary>The golden cases that need nothing from the driver but a URI and failing lookups, run
/// against a Moq'd connection, so they check virsh's parsing, builtins and messages in every build.</summary>
public sealed class GoldenWithoutDriverTests
{
    [TestCase("echo")] [TestCase("exit")] [TestCase("quit")] [TestCase("uri")] [TestCase("comment-only")] [TestCase("help-option")] [TestCase("help-unknown")]
    [TestCase("unknown-command")] [TestCase("missing-argument")] [TestCase("missing-argument-named")] [TestCase("unknown-option")] [TestCase("unexpected-data")]
    [TestCase("option-seen")] [TestCase("option-seen-bool")] [TestCase("invalid-equals")] [TestCase("missing-quote")] [TestCase("dangling-backslash")]
    [TestCase("single-dash")] [TestCase("expected-syntax")] [TestCase("qemu-monitor-missing-cmd")] [TestCase("exit-status-last-ok")] [TestCase("exit-status-last-failed")]
    [TestCase("help-domstate")] [TestCase("help-dominfo")] [TestCase("help-domid")] [TestCase("help-domuuid")] [TestCase("help-domname")] [TestCase("help-suspend")]
    [TestCase("help-resume")] [TestCase("help-echo")] [TestCase("help-quit")] [TestCase("help-exit")] [TestCase("help-uri")] [TestCase("help-domblklist")]
    [TestCase("help-define")] [TestCase("help-shutdown")] [TestCase("help-help")] [TestCase("argv-echo")] [TestCase("argv-comment")] [TestCase("argv-semicolon")] [TestCase("empty-argument")] [TestCase("empty-command-string")] [TestCase("blank-command-string")]
    [TestCase("snapshot-print-xml")] [TestCase("missing-snapshotname")] [TestCase("help-snapshot-create")] [TestCase("help-snapshot-create-as")]
    [TestCase("help-snapshot-current")] [TestCase("help-snapshot-info")] [TestCase("help-snapshot-list")] [TestCase("help-snapshot-parent")]
    [TestCase("help-snapshot-revert")] [TestCase("help-snapshot-delete")]
    public void OutputEqualsVirsh(string name)
    {
        var golden = GoldenCase.Load(name);
        var fake = new FakeHandles("Test", "test:///default");
        var test = fake.AddDomain("test", 1);
        test.Setup(d => d.ListSnapshots(SnapshotListFlags.None)).Returns([]);
        var r = CliRunner.RunShell(fake.Connection.Object, golden.Args, golden.Stdin);
        Assert.Multiple(() =>
        {
            Assert.That(r.Stdout, Is.EqualTo(golden.ExpectedStdout), "stdout");
            Assert.That(r.Stderr, Is.EqualTo(golden.ExpectedStderr), "stderr");
            Assert.That(r.ExitCode, Is.EqualTo(golden.ExpectedExitCode), "exit status");
        });
    }
}
