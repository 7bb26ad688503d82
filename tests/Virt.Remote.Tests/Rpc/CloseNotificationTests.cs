using Virt.Drivers;

namespace Virt.Remote.Tests.Rpc;

/// <summary>The façade's <see cref="IVirtConnection.Closed"/> for the faults a real daemon will not produce.</summary>
public sealed class CloseNotificationTests
{
    [Test]
    public void ADaemonThatLeavesPingsUnansweredClosesTheConnectionWithTheKeepAliveReason()
    {
        using var daemon = new FakeDaemon();
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry, new RemoteDriverOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(200), KeepAliveCount = 1 });
        var open = Task.Run(() => VirtConnection.Open($"test+unix:///default?socket={daemon.SocketPath}", new VirtConnectionOptions { Registry = registry }));
        daemon.Accept();
        daemon.ServeOpen(10);
        using var conn = open.Result;
        var closed = new System.Collections.Concurrent.BlockingCollection<ConnectionClosedEventArgs>();
        conn.Closed += (_, e) => closed.Add(e);

        Assert.That(closed.TryTake(out var notice, TimeSpan.FromSeconds(30)), Is.True, "no Closed notification");
        Assert.Multiple(() =>
        {
            Assert.That(notice!.Reason, Is.EqualTo(ConnectionCloseReason.KeepAlive));
            Assert.That(notice.Error.Message, Is.EqualTo("internal error: connection closed due to keepalive timeout"));
            Assert.That(conn.IsAlive, Is.False);
        });
    }
}
