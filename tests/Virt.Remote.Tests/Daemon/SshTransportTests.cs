using Virt.Drivers;
using Virt.Remote.Transport;

namespace Virt.Remote.Tests.Daemon;

/// <summary>
/// The ssh transport. No sshd runs here, so <c>?command=</c> (libvirt's way to name the ssh program) points at a
/// stand-in that records its arguments and runs the remote command through <c>sh -c</c>, as sshd runs it with the
/// user's shell: the command line, the double quoting and the nc fallback are the real ones.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SshTransportTests
{
    private readonly VirtDriverRegistry _registry = new();
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        RemoteDriver.Register(_registry);
        _dir = Directory.CreateTempSubdirectory("virt-remote-ssh-").FullName;
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Executable(string name, string body)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static string RemoteShell(string command)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("sh") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }

    [Test]
    public void TheDaemonIsReachedThroughSshAndNcWithLibvirtsCommandLine()
    {
        string log = Path.Combine(_dir, "args");
        string ssh = Executable("fake ssh", $"""
            for a in "$@"; do printf '%s\n' "$a"; done > '{log}'
            while [ "$1" != "--" ]; do shift; done
            shift 2
            exec sh -c "$1"
            """);
        string socket = ThrowawayLibvirtd.Shared.SocketPath;
        string uri = $"test+ssh://admin@host.example:2222/default?command={Uri.EscapeDataString(ssh)}&socket={Uri.EscapeDataString(socket)}"
            + "&keyfile=/keys/id_ed25519&no_verify=1&no_tty=1&proxy=netcat";
        using (var conn = VirtConnection.Open(uri, new VirtConnectionOptions { Registry = _registry }))
        {
            Assert.That(conn.LookupDomainByName("test").GetState().State, Is.EqualTo(DomainState.Running));
        }

        string[] args = File.ReadAllLines(log);
        Assert.That(args, Is.EqualTo(new[]
        {
            "-p", "2222", "-l", "admin", "-i", "/keys/id_ed25519", "-T", "-e", "none", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "--", "host.example",
            "sh -c 'if 'nc' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'nc' $ARG -U '" + socket + "''",
        }));
    }

    [Test]
    public void TheAutoProxyPrefersVirtSshHelperAndFallsBackToNc()
    {
        var target = RemoteTarget.FromUri(VirtUri.Parse("qemu+ssh://host/system?mode=legacy"));
        Assert.That(SshCommand.HelperCommand(target, TransportConnector.SystemSocket), Is.EqualTo(
            "sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     virt-ssh-helper 'qemu:///system'; "
            + "else    if 'nc' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'nc' $ARG -U '/var/run/libvirt/libvirt-sock'; fi'"));
    }

    [Test]
    public void ValuesWithShellCharactersReachTheRemoteProgramsAsOneWordEach()
    {
        string printer = Executable("print args", "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done");
        string socket = "/tmp/x; rm -rf ~/it's $(sock)";
        var netcat = RemoteTarget.FromUri(VirtUri.Parse($"test+ssh://host/default?proxy=netcat&netcat={Uri.EscapeDataString(printer)}"));
        Assert.That(RemoteShell(SshCommand.HelperCommand(netcat, socket)), Is.EqualTo($"[-U]\n[{socket}]\n"));

        // The daemon URI given to virt-ssh-helper, through the same quoting (the helper replaced by the printer).
        var native = RemoteTarget.FromUri(VirtUri.Parse("test+ssh://host/default?proxy=native&name=test%3A%2F%2F%2Fdefault%3Fx%3D%27%3B%20reboot"));
        string helper = Executable("helper", "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done");
        string command = SshCommand.HelperCommand(native, socket).Replace("virt-ssh-helper", helper, StringComparison.Ordinal);
        Assert.That(RemoteShell(command), Is.EqualTo("[test:///default?x='; reboot]\n"));
    }

    [Test]
    public void KnownHostsIsNotPassedToTheSshProgramAsLibvirtsOwnSshTransportDoesNot()
    {
        // libvirt 9.0 hands ?known_hosts= and ?known_hosts_verify= to its libssh and libssh2 transports only; the ssh
        // program reads its own known_hosts (virNetSocketNewConnectSSH takes no such argument).
        var target = RemoteTarget.FromUri(VirtUri.Parse("qemu+ssh://root@h/system?known_hosts=/k/hosts&known_hosts_verify=ignore&keyfile=/k/id&no_verify=1"));
        var (program, args) = SshCommand.Build(target, TransportConnector.SystemSocket);
        Assert.Multiple(() =>
        {
            Assert.That(program, Is.EqualTo("ssh"));
            Assert.That(args.Take(10), Is.EqualTo(new[] { "-l", "root", "-i", "/k/id", "-T", "-e", "none", "-o", "StrictHostKeyChecking=no", "--" }));
            Assert.That(args, Has.None.Contains("/k/hosts"));
        });
    }

    [TestCase("plain", "plain")]
    [TestCase("", "''")]
    [TestCase("a b", "'a b'")]
    [TestCase("it's", "'it'\\''s'")]
    [TestCase("$(reboot)", "'$(reboot)'")]
    public void ValuesAreQuotedAsLibvirtsVirBufferEscapeShellQuotesThem(string text, string quoted) =>
        Assert.That(SshCommand.EscapeShell(text), Is.EqualTo(quoted));
}
