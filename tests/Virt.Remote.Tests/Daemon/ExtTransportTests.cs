using Virt.Drivers;

namespace Virt.Remote.Tests.Daemon;

/// <summary>The ext transport: a program (no shell, no arguments) whose standard input and output reach the daemon.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExtTransportTests
{
    private readonly VirtDriverRegistry _registry = new();
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        RemoteDriver.Register(_registry);
        _dir = Directory.CreateTempSubdirectory("virt-remote-ext-").FullName;
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Script(string body)
    {
        string path = Path.Combine(_dir, "connect");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Test]
    public void ACommandThatRelaysToTheDaemonsSocketCarriesTheConnection()
    {
        string command = Script($"exec nc -U '{ThrowawayLibvirtd.Shared.SocketPath}'");
        using var conn = VirtConnection.Open($"test+ext:///default?command={Uri.EscapeDataString(command)}", new VirtConnectionOptions { Registry = _registry });
        Assert.Multiple(() =>
        {
            Assert.That(conn.HypervisorType, Is.EqualTo("TEST"));
            Assert.That(conn.LookupDomainByName("test").GetState().State, Is.EqualTo(DomainState.Running));
        });
    }

    [Test]
    public void ACommandThatExitsFailsTheOpenWithEndOfFile()
    {
        string command = Script("exit 0");
        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open($"test+ext:///default?command={Uri.EscapeDataString(command)}", new VirtConnectionOptions { Registry = _registry }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.SystemError));
            Assert.That(ex.Message, Does.StartWith("End of file while reading data").Or.StartWith("Cannot write data"));
        });
    }

    [Test]
    public void WithoutACommandItIsRefusedAsLibvirtDoes()
    {
        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open("test+ext:///default", new VirtConnectionOptions { Registry = _registry }));
        Assert.That(ex!.Message, Is.EqualTo("invalid argument: remote_open: for 'ext' transport, command is required"));
    }

    [Test]
    public void AMissingProgramIsASystemErrorNamingIt()
    {
        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open("test+ext:///default?command=/nonexistent/program", new VirtConnectionOptions { Registry = _registry }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.SystemError));
            Assert.That(ex.Message, Does.StartWith("Cannot run program '/nonexistent/program': "));
        });
    }
}
