namespace Virt.Cli.Tests;

/// <summary>
/// <c>virt</c> against qemu:///embed, every command a process of its own: each one opens the root afresh and takes
/// over the running QEMU, as scripts use virsh. Outputs are virsh's formats.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class QemuCommandProcessTests() : QemuEmbedProcessTests("virt-cli-qemu-", "vm")
{
    [Test]
    public void EachCommandInItsOwnProcessControlsTheSameVm()
    {
        string xml = Path.Combine(Root, "vm.xml");
        File.WriteAllText(xml, "<domain type='qemu'><name>vm</name><memory unit='MiB'>16</memory><os><type arch='x86_64'>hvm</type></os></domain>");

        Assert.Multiple(() =>
        {
            Assert.That(Virt("define", xml), Is.EqualTo((0, $"Domain 'vm' defined from {xml}\n\n", "")));
            Assert.That(Virt("domstate", "vm", "--reason"), Is.EqualTo((0, "shut off (unknown)\n\n", "")));
            Assert.That(Virt("start", "vm"), Is.EqualTo((0, "Domain 'vm' started\n\n", "")));
            Assert.That(Virt("domstate", "vm", "--reason"), Is.EqualTo((0, "running (booted)\n\n", "")));
            Assert.That(Virt("suspend", "vm"), Is.EqualTo((0, "Domain 'vm' suspended\n\n", "")));
            Assert.That(Virt("domstate", "vm", "--reason"), Is.EqualTo((0, "paused (user)\n\n", "")));
            Assert.That(Virt("list", "--all").Stdout, Does.Match(@"^ Id   Name   State\n-+\n 1    vm     paused\n\n$"));
            Assert.That(Virt("resume", "vm"), Is.EqualTo((0, "Domain 'vm' resumed\n\n", "")));
            Assert.That(Virt("start", "vm"), Is.EqualTo((1, "\n", "error: Domain is already active\n")), "virsh's own check, before the call");
            Assert.That(Virt("dumpxml", "vm").Stdout, Does.StartWith("<domain type='qemu' id='1'>\n  <name>vm</name>\n"));
            Assert.That(Virt("destroy", "vm"), Is.EqualTo((0, "Domain 'vm' destroyed\n\n", "")));
            Assert.That(Virt("domstate", "vm", "--reason"), Is.EqualTo((0, "shut off (destroyed)\n\n", "")));
            Assert.That(Virt("undefine", "vm"), Is.EqualTo((0, "Domain 'vm' has been undefined\n\n", "")));
        });
    }

    [Test]
    public void VersionNamesTheHostsQemuAsVirshDoes()
    {
        var qemu = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/qemu-system-x86_64", "--version") { RedirectStandardOutput = true })!;
        string banner = qemu.StandardOutput.ReadToEnd();
        qemu.WaitForExit();
        string expected = System.Text.RegularExpressions.Regex.Match(banner, @"QEMU emulator version (\d+\.\d+\.\d+)").Groups[1].Value;

        var result = Virt("version");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Stderr);
            Assert.That(result.Stdout, Does.Match(@"^Compiled against library: virt \S+\nUsing library: virt \S+\nUsing API: QEMU \S+\n"));
            Assert.That(result.Stdout, Does.EndWith($"Running hypervisor: QEMU {expected}\n\n"));
        });
    }
}
