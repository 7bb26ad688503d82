using System.Net.Sockets;
using System.Text;
using Virt.Qemu.Driver.Process;

namespace Virt.Qemu.Tests.Driver;

/// <summary>The start's own monitor against a QMP peer played by the test: QEMU binds its socket a moment before it
/// listens, and a connect in between is refused.</summary>
public sealed class QemuStartMonitorTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-start-mon-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ASocketBoundButNotYetListeningIsTriedAgain()
    {
        string path = Path.Combine(_dir, "qmp.sock");
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        var peer = Task.Run(() =>
        {
            Thread.Sleep(100);
            server.Listen();
            using var client = server.Accept();
            client.Send("{\"QMP\": {\"version\": {}, \"capabilities\": []}}\n"u8);
            var buffer = new byte[256];
            string received = Encoding.UTF8.GetString(buffer, 0, client.Receive(buffer));
            client.Send("{\"return\": {}}\n"u8);
            return received;
        });

        using var monitor = QemuStartMonitor.Connect(path, TimeSpan.FromSeconds(10), () => true);

        Assert.That(peer.Result, Is.EqualTo("{\"execute\":\"qmp_capabilities\"}\n"));
    }

    [Test]
    public void AQemuThatHasEndedIsNotWaitedFor()
    {
        string path = Path.Combine(_dir, "qmp.sock");
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        var started = DateTime.UtcNow;

        var e = Assert.Throws<VirtException>(() => QemuStartMonitor.Connect(path, TimeSpan.FromSeconds(30), () => false));

        Assert.That(e!.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(5)));
    }
}
