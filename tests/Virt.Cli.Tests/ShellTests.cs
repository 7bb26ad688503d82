using Moq;

namespace Virt.Cli.Tests;

public sealed class ShellTests
{
    [Test]
    public void UriComesFromConnectOptionThenEnvironmentThenSessionDefault()
    {
        var fake = new FakeHandles();
        var opened = new List<string>();
        CliRunner.RunShell(fake.Connection.Object, ["-c", "test:///default", "uri"], onOpen: opened.Add);
        CliRunner.RunShell(fake.Connection.Object, ["--connect=qemu:///embed?root=/a", "uri"], onOpen: opened.Add);
        CliRunner.RunShell(fake.Connection.Object, ["uri"], environment: new Dictionary<string, string> { ["VIRT_DEFAULT_URI"] = "test:///env" }, onOpen: opened.Add);
        CliRunner.RunShell(fake.Connection.Object, ["uri"], onOpen: opened.Add);
        Assert.That(opened, Is.EqualTo(new[] { "test:///default", "qemu:///embed?root=/a", "test:///env", "qemu:///session" }));
    }

    [Test]
    public void ConnectionFailurePrintsVirshsTwoLinesAndExitsOne()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new Shell.ShellHost(new StringReader(string.Empty), output, error, false, _ => null,
            uri => throw new VirtException(VirtErrorCode.NoConnect, $"for {uri}"));
        int rc = new Shell.VirtShell(host).Run(["-c", "bogus:///x", "echo", "hi"]);
        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(1));
            Assert.That(output.ToString(), Is.Empty);
            Assert.That(error.ToString(), Is.EqualTo("error: failed to connect to the hypervisor\nerror: no connection driver available: for bogus:///x\n"));
        });
    }

    [Test]
    public void SyntaxErrorRunsNothingAndDoesNotConnect()
    {
        var fake = new FakeHandles();
        bool opened = false;
        var result = CliRunner.RunShell(fake.Connection.Object, ["echo a; bogus"], onOpen: _ => opened = true);
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(new CliRunner.Result(1, string.Empty, "error: unknown command: 'bogus'\n")));
            Assert.That(opened, Is.False);
        });
    }

    [TestCase("-z", "error: unsupported option '-z'. See --help.\n")]
    [TestCase("--bogus", "error: unsupported option '--bogus'. See --help.\n")]
    [TestCase("-c", "error: option '-c'/'--connect' requires an argument\n")]
    [TestCase("--connect", "error: option '-c'/'--connect' requires an argument\n")]
    [TestCase("--quiet=1", "error: unsupported option '-q'. See --help.\n")]
    [TestCase("--hel=x", "error: unsupported option '-h'. See --help.\n")]
    public void GlobalOptionErrorsUseVirshWording(string arg, string message)
    {
        var result = new FakeHandles().Run(arg);
        Assert.That(result, Is.EqualTo(new CliRunner.Result(1, string.Empty, message)));
    }

    /// <summary>virsh's getopt_long takes a unique prefix of a long option.</summary>
    [Test]
    public void LongGlobalOptionsMayBeAbbreviated()
    {
        var fake = new FakeHandles();
        var opened = new List<string>();
        var result = CliRunner.RunShell(fake.Connection.Object, ["--conn=test:///default", "--q", "uri"], onOpen: opened.Add);
        Assert.Multiple(() =>
        {
            Assert.That(opened, Is.EqualTo(new[] { "test:///default" }));
            Assert.That(result.ExitCode, Is.EqualTo(0));
            Assert.That(result.Stderr, Is.Empty);
        });
    }

    /// <summary>As virsh: -h and -v act as soon as they are read, so a later bad option or the other one is never seen.</summary>
    [Test]
    public void HelpAndVersionActBeforeLaterOptions()
    {
        var fake = new FakeHandles();
        var help = fake.Run("-h", "-x");
        var version = fake.Run("-v", "-h");
        var longHelp = fake.Run("--he", "--bogus");
        Assert.Multiple(() =>
        {
            Assert.That(help.ExitCode, Is.EqualTo(0));
            Assert.That(help.Stdout, Does.StartWith("\n         virt [options]... [<command_string>]\n"));
            Assert.That(help.Stderr, Is.Empty);
            Assert.That(version, Is.EqualTo(new CliRunner.Result(0, Shell.VirtShell.LibraryVersion + "\n", string.Empty)));
            Assert.That(longHelp.Stdout, Is.EqualTo(help.Stdout));
            Assert.That(longHelp.ExitCode, Is.EqualTo(0));
        });
    }

    /// <summary>CLI.md: the exit status is non-zero if any command failed. virsh returns the last command's
    /// status instead (0 for "domid nosuch; echo a"); stdout and stderr stay virsh's.</summary>
    [Test]
    public void ExitStatusIsOneWhenAnyCommandFailedNotOnlyTheLast()
    {
        var fake = new FakeHandles();
        var firstFails = fake.Run("domid nosuch; echo a");
        Assert.Multiple(() =>
        {
            Assert.That(firstFails, Is.EqualTo(new CliRunner.Result(1, "\na\n", "error: failed to get domain 'nosuch'\n")));
            Assert.That(fake.Run("echo a; domid nosuch").ExitCode, Is.EqualTo(1));
            Assert.That(fake.Run("echo a; echo b").ExitCode, Is.EqualTo(0));
            Assert.That(fake.Run("domid nosuch; quit").ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public void StdinExitStatusIsOneWhenAnyCommandFailedAndZeroOtherwise()
    {
        var fake = new FakeHandles();
        var failed = CliRunner.RunShell(fake.Connection.Object, ["-q"], stdin: "domid nosuch\necho ok\n");
        var syntax = CliRunner.RunShell(fake.Connection.Object, ["-q"], stdin: "bogus\necho ok\n");
        var fine = CliRunner.RunShell(fake.Connection.Object, ["-q"], stdin: "echo ok\necho ok\n");
        Assert.Multiple(() =>
        {
            Assert.That(failed.Stdout, Is.EqualTo("virt # domid nosuch\nvirt # echo ok\nokvirt # \n"));
            Assert.That(failed.Stderr, Is.EqualTo("error: failed to get domain 'nosuch'\n"));
            Assert.That(failed.ExitCode, Is.EqualTo(1));
            Assert.That(syntax.ExitCode, Is.EqualTo(1));
            Assert.That(fine.ExitCode, Is.EqualTo(0));
        });
    }

    [Test]
    public void TerminalInputIsNotEchoedButPipedInputIs()
    {
        var fake = new FakeHandles();
        var typed = CliRunner.RunShell(fake.Connection.Object, ["-q"], stdin: "uri\n", terminal: true);
        var piped = CliRunner.RunShell(fake.Connection.Object, ["-q"], stdin: "uri\n", terminal: false);
        Assert.Multiple(() =>
        {
            Assert.That(typed.Stdout, Is.EqualTo("virt # qemu:///embed?root=/x\nvirt # \n"));
            Assert.That(piped.Stdout, Is.EqualTo("virt # uri\nqemu:///embed?root=/x\nvirt # \n"));
            Assert.That(piped.ExitCode, Is.EqualTo(0));
        });
    }

    [Test]
    public void InteractiveModeKeepsGoingAfterErrorsAndExitsOne()
    {
        var fake = new FakeHandles();
        var result = CliRunner.RunShell(fake.Connection.Object, ["-q"], stdin: "bogus\ndomid nosuch\necho ok\nquit\necho never\n");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("virt # bogus\nvirt # domid nosuch\nvirt # echo ok\nokvirt # quit\n\n"));
            Assert.That(result.Stderr, Is.EqualTo("error: unknown command: 'bogus'\nerror: failed to get domain 'nosuch'\n"));
            Assert.That(result.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public void HelpListsOurCommandsInVirshsGroupedFormat()
    {
        string stdout = new FakeHandles().Run("help").Stdout;
        Assert.Multiple(() =>
        {
            Assert.That(stdout, Does.StartWith("Grouped commands:\n\n Domain Management (help keyword 'domain'):\n    define                         define (but don't start) a domain from an XML file\n"));
            Assert.That(stdout, Does.Contain("\n Domain Monitoring (help keyword 'monitor'):\n    domblklist                     list all domain blocks\n"));
            Assert.That(stdout, Does.EndWith("    quit                           quit this interactive terminal\n\n\n"));
        });
    }

    [Test]
    public void HelpForAGroupKeywordListsThatGroup()
    {
        string stdout = new FakeHandles().Run("help host").Stdout;
        Assert.That(stdout, Is.EqualTo(
            " Host and Hypervisor (help keyword 'host'):\n" +
            "    uri                            print the hypervisor canonical URI\n" +
            "    version                        show version\n\n\n"));
    }

    [Test]
    public void VersionNamesLibraryAndHypervisor()
    {
        var fake = new FakeHandles();
        fake.Connection.Setup(c => c.GetHypervisorVersion()).Returns(new Version(7, 2, 0));
        var result = fake.Run("version");
        string v = Shell.VirtShell.LibraryVersion;
        Assert.That(result.Stdout, Is.EqualTo(
            $"Compiled against library: virt {v}\nUsing library: virt {v}\nUsing API: QEMU {v}\nRunning hypervisor: QEMU 7.2.0\n\n"));
    }

    [Test]
    public void UnexpectedLibraryFailureIsReportedAndTheNextCommandRuns()
    {
        var fake = new FakeHandles();
        var vm = fake.AddDomain("vm", 3);
        vm.Setup(d => d.GetState()).Throws(new VirtException(VirtErrorCode.OperationFailed, "monitor went away"));
        var result = fake.Run("domstate vm; domid vm");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("\n3\n\n"));
            Assert.That(result.Stderr, Is.EqualTo("error: operation failed: monitor went away\n"));
            Assert.That(result.ExitCode, Is.EqualTo(1));
        });
    }
}
