namespace Virt.Cli.Tests;

/// <summary>
/// Without <c>-c</c>, virsh opens its default connection only when a command needs one: <c>help</c>,
/// <c>echo</c>, <c>quit</c> and <c>exit</c> run with no hypervisor, while <c>uri</c> and <c>version</c>
/// connect (checked against virsh 9.0 with an unreachable <c>LIBVIRT_DEFAULT_URI</c>). With <c>-c</c>,
/// virsh connects before running anything.
/// </summary>
public sealed class ConnectionlessCommandTests
{
    private const string ConnectFailure = "error: failed to connect to the hypervisor\nerror: no connection driver available: for qemu:///session\n";

    [TestCase("help-snapshot-list")]
    [TestCase("help-help")]
    [TestCase("help-echo")]
    [TestCase("echo")]
    [TestCase("quit")]
    public void RunsWithoutOpeningTheDefaultConnection(string name)
    {
        var golden = GoldenCase.Load(name);
        var result = RunUnreachable(golden.Args.Skip(2).ToArray(), golden.Stdin, out var attempts);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo(golden.ExpectedStdout), "stdout");
            Assert.That(result.Stderr, Is.EqualTo(golden.ExpectedStderr), "stderr");
            Assert.That(result.ExitCode, Is.EqualTo(golden.ExpectedExitCode), "exit status");
            Assert.That(attempts, Is.Empty, "no connection is opened");
        });
    }

    [TestCase("help")]
    [TestCase("help image")]
    [TestCase("help snapshot-list")]
    public void HelpWorksWithTheRealProgramAndNoDriverForTheDefaultUri(string command)
    {
        var result = CliRunner.RunProgram([command]);
        var expected = CliRunner.RunShell(new FakeHandles().Connection.Object, [command]);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.Empty);
            Assert.That(result.ExitCode, Is.EqualTo(0));
            Assert.That(result.Stdout, Is.EqualTo(expected.Stdout));
            Assert.That(result.Stdout, Is.Not.Empty);
        });
    }

    [Test]
    public void CommandsThatNeedTheConnectionTryToOpenItEachTimeAndTheOthersStillRun()
    {
        var result = RunUnreachable(["echo a; uri; echo b; version; echo c"], string.Empty, out var attempts);
        Assert.Multiple(() =>
        {
            // virsh prints the same with LIBVIRT_DEFAULT_URI unreachable (its status is 0: the last command's).
            Assert.That(result.Stdout, Is.EqualTo("a\n\nb\n\nc\n"));
            Assert.That(result.Stderr, Is.EqualTo(ConnectFailure + ConnectFailure));
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(attempts, Is.EqualTo(new[] { "qemu:///session", "qemu:///session" }));
        });
    }

    [Test]
    public void TheDefaultConnectionOpensOnceForSeveralCommands()
    {
        var fake = new FakeHandles();
        var opened = new List<string>();
        var result = CliRunner.RunShell(fake.Connection.Object, ["help uri; uri; uri"], onOpen: opened.Add);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Does.EndWith("\nqemu:///embed?root=/x\n\nqemu:///embed?root=/x\n\n"));
            Assert.That(opened, Is.EqualTo(new[] { "qemu:///session" }));
        });
    }

    [Test]
    public void AConnectOptionIsOpenedFirstEvenForHelpAsInVirsh()
    {
        var result = RunUnreachable(["-c", "qemu:///session", "help"], string.Empty, out var attempts);
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new CliRunner.Result(1, string.Empty, ConnectFailure)));
            Assert.That(attempts, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void StdinModeOpensTheDefaultConnectionOnlyWhenNeeded()
    {
        var result = RunUnreachable(["-q"], "echo a\nuri\necho b\n", out var attempts);
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("virt # echo a\navirt # uri\nvirt # echo b\nbvirt # \n"), "as virsh -q prints it");
            Assert.That(result.Stderr, Is.EqualTo(ConnectFailure));
            Assert.That(attempts, Has.Count.EqualTo(1));
        });
    }

    private static CliRunner.Result RunUnreachable(string[] args, string stdin, out List<string> attempts)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var tried = new List<string>();
        var host = new Shell.ShellHost(new StringReader(stdin), output, error, false, _ => null, uri =>
        {
            tried.Add(uri);
            throw new VirtException(VirtErrorCode.NoConnect, "for " + uri);
        });
        int rc = new Shell.VirtShell(host).Run(args);
        attempts = tried;
        return new CliRunner.Result(rc, output.ToString(), error.ToString());
    }
}
