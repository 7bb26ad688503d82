using System.Diagnostics;
using System.Security;
using System.Text;
using Virt.Qemu.Tests.Driver;

namespace Virt.Cli.Tests;

/// <summary><c>virt console</c>, <c>reboot</c> and <c>autostart</c> against qemu:///embed, each a process of its own;
/// the console over pipes talks to the tiny guest's shell.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class QemuConsoleProcessTests() : QemuEmbedProcessTests("virt-cli-console-", "vm")
{
    private const string Banner = "Connected to domain 'vm'\nEscape character is ^] (Ctrl + ])\n";
    [Test]
    public void ConsoleOverPipesRunsACommandInTheGuestAndCtrlBracketLeaves()
    {
        Define($"<cmdline>console=ttyS0 quiet virt.shell=1</cmdline>");
        Assert.That(Virt("start", "vm").ExitCode, Is.Zero);

        using var console = StartVirt("console", "vm");
        var stdout = new StringBuilder();
        var reader = new Thread(() =>
        {
            var buffer = new char[1024];
            int n;
            while ((n = console.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (stdout)
                {
                    stdout.Append(buffer, 0, n);
                }
            }
        }) { IsBackground = true };
        reader.Start();

        var watch = Stopwatch.StartNew();
        while (!Read(stdout).Contains("answer=42", StringComparison.Ordinal))
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromMinutes(3)), "the guest's shell did not answer; the console showed:\n" + Read(stdout));
            console.StandardInput.Write("echo answer=$((6*7))\n");
            console.StandardInput.Flush();
            Thread.Sleep(2000);
        }

        console.StandardInput.Write('\u001d');
        console.StandardInput.Flush();
        Assert.That(console.WaitForExit(30_000), Is.True, "Ctrl-] ends virt console");
        reader.Join();
        Assert.That(console.ExitCode, Is.Zero);
        Assert.That(Read(stdout), Does.StartWith(Banner));
        Assert.That(Virt("domstate", "vm"), Is.EqualTo((0, "running\n\n", "")), "leaving the console leaves the guest running");
    }

    [Test]
    public void ASecondConsoleIsRefusedWhileTheFirstIsAttached()
    {
        Define(string.Empty);
        Assert.That(Virt("start", "vm").ExitCode, Is.Zero);
        using var first = StartVirt("console", "vm");
        Assert.That(first.StandardOutput.ReadLine(), Is.EqualTo("Connected to domain 'vm'"));
        Assert.That(first.StandardOutput.ReadLine(), Is.EqualTo("Escape character is ^] (Ctrl + ])"));
        WaitForSession();

        var second = Virt("console", "vm");

        Assert.That(second, Is.EqualTo((1, Banner + "\n", "error: operation failed: Active console session exists for this domain\n")));
        first.StandardInput.Close();
        Assert.That(first.WaitForExit(30_000), Is.True, "the end of standard input ends virt console");
    }

    [Test]
    public void ConsoleOfAShutOffDomainIsRefusedAsVirshDoes()
    {
        Define(string.Empty);

        Assert.That(Virt("console", "vm"), Is.EqualTo((1, "\n", "error: The domain is not running\n")));
    }

    [Test]
    public void AutostartIsStoredInTheRootAndFiltersTheList()
    {
        Define(string.Empty);

        Assert.That(Virt("autostart", "vm"), Is.EqualTo((0, "Domain 'vm' marked as autostarted\n\n", "")));
        Assert.That(File.Exists(Path.Combine(Root, "domains", "vm", "autostart")), Is.True);
        Assert.That(Virt("list", "--all", "--autostart", "--name"), Is.EqualTo((0, "vm\n\n", "")));
        Assert.That(Virt("dominfo", "vm").Stdout, Does.Contain("Autostart:      enable\n"));
        Assert.That(Virt("autostart", "vm", "--disable"), Is.EqualTo((0, "Domain 'vm' unmarked as autostarted\n\n", "")));
        Assert.That(Virt("list", "--all", "--no-autostart", "--name"), Is.EqualTo((0, "vm\n\n", "")));
        Assert.That(Virt("list", "--all", "--autostart", "--name"), Is.EqualTo((0, "\n", "")));
    }

    [Test]
    public void AutostartOfATransientDomainIsRefusedWithLibvirtsMessage()
    {
        Define(string.Empty);
        Assert.That(Virt("start", "vm").ExitCode, Is.Zero);
        Assert.That(Virt("undefine", "vm").ExitCode, Is.Zero);

        Assert.That(Virt("autostart", "vm"), Is.EqualTo((1, "\n",
            "error: Failed to mark domain 'vm' as autostarted\nerror: Requested operation is not valid: cannot set autostart for transient domain\n")));
    }

    [Test]
    public void OnTheTestDriverConsoleFailsAndRebootWorksAsInVirsh()
    {
        var console = CliRunner.RunProgram(["-c", "test:///default", "console", "test"]);
        Assert.That(console, Is.EqualTo(new CliRunner.Result(1, "Connected to domain 'test'\nEscape character is ^] (Ctrl + ])\n\n",
            "error: this function is not supported by the connection driver: virDomainOpenConsole\n")));

        var reboot = CliRunner.RunProgram(["-c", "test:///default", "reboot test; destroy test; reboot test"]);
        Assert.That(reboot, Is.EqualTo(new CliRunner.Result(1, "Domain 'test' is being rebooted\n\nDomain 'test' destroyed\n\n\n",
            "error: Failed to reboot domain 'test'\nerror: Requested operation is not valid: domain is not running\n")));
    }

    private void WaitForSession()
    {
        string folder = Path.Combine(Root, "run", "vm", "console");
        var watch = Stopwatch.StartNew();
        while (!(Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.session").Any()) && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(20);
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private void Define(string cmdline)
    {
        string guest = TestGuest.Folder();
        string os = cmdline.Length == 0 ? "<os><type arch='x86_64'>hvm</type></os>" : $"""
            <os>
              <type arch='x86_64' machine='q35'>hvm</type>
              <kernel>{SecurityElement.Escape(Path.Combine(guest, "vmlinuz"))}</kernel>
              <initrd>{SecurityElement.Escape(Path.Combine(guest, "initramfs.cpio.gz"))}</initrd>
              {cmdline}
            </os>
            """;
        string xml = Path.Combine(Root, "vm.xml");
        File.WriteAllText(xml, $"<domain type='qemu'><name>vm</name><memory unit='MiB'>{(cmdline.Length == 0 ? 16 : 128)}</memory>{os}<devices><serial type='pty'/></devices></domain>");
        Assert.That(Virt("define", xml).ExitCode, Is.Zero);
    }

    private Process StartVirt(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string arg in (string[])[.. VirtPrefix, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
