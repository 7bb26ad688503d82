using Microsoft.Extensions.Logging;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>What the client logs (category Virt.Qmp) and the reader-thread guard.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpLoggingTests
{
    [Test]
    public void StateChangesAtInformationTrafficAtTraceBreakAtWarning()
    {
        var logs = new ListLoggerFactory();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Serve(("query-status", "{\"status\": \"paused\", \"running\": false}"));
        });
        using (var client = QmpClient.Connect(server.SocketPath, new QmpClientOptions { LoggerFactory = logs }))
        {
            client.QueryStatus();
            QmpFakeServerTests.AssertBroken(() => client.QueryStatus(), "End of file from QEMU monitor: QEMU exited or closed the connection");
        }

        server.Verify();
        var entries = logs.Entries.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.Category).Distinct(), Is.EqualTo(new[] { "Virt.Qmp" }));
            Assert.That(entries.Where(e => e.Level == LogLevel.Information).Select(e => e.Message),
                Is.EqualTo(new[] { "QMP " + server.SocketPath + ": Idle -> Connecting", "QMP " + server.SocketPath + ": Connecting -> Running", "QMP " + server.SocketPath + ": Running -> Broken", "QMP " + server.SocketPath + ": Broken -> Closed" }));
            Assert.That(entries.Where(e => e.Level == LogLevel.Trace).Select(e => e.Message), Does.Contain("QMP >> {\"execute\":\"query-status\",\"id\":2}"));
            Assert.That(entries.Where(e => e.Level == LogLevel.Trace).Select(e => e.Message), Does.Contain("QMP << {\"return\": {\"status\": \"paused\", \"running\": false}, \"id\": 2}"));
            Assert.That(entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message),
                Is.EqualTo(new[] { "QMP " + server.SocketPath + " broken: End of file from QEMU monitor: QEMU exited or closed the connection" }));
        });
    }

    [Test]
    public void CommandFromEventHandlerIsRefusedInsteadOfDeadlocking()
    {
        Exception? refused = null;
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("query-status");
            peer.SendEvent("STOP");
            peer.Reply(id, "{\"status\": \"paused\", \"running\": false}");
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath))
        {
            using var subscription = client.Subscribe(QmpEventFilter.All, _ =>
            {
                try
                {
                    client.QueryStatus();
                }
                catch (InvalidOperationException e)
                {
                    refused = e;
                }
            });
            Assert.That(client.QueryStatus().Status, Is.EqualTo("paused"));
            Assert.That(client.Connection.WaitForHandlers(TimeSpan.FromSeconds(10)), Is.True);
        }

        server.Verify();
        Assert.That(refused?.Message, Does.StartWith("QMP commands cannot be sent from an event handler"));
    }
}
