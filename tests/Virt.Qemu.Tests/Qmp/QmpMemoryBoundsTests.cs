using System.Text.Json;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>A peer flooding events, or never answering, gets a bounded amount of the client's memory.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpMemoryBoundsTests
{
    private static readonly QmpClientOptions Options = new() { ConnectTimeout = TimeSpan.FromSeconds(5) };

    private const string Running = "{\"status\": \"running\", \"singlestep\": false, \"running\": true}";

    private static string Padded(int bytes) => "{\"pad\": \"" + new string('p', bytes) + "\"}";

    [Test]
    public void EarlyEventsPastTheByteBudgetKeepOnlyNameAndTime()
    {
        using var server = new FakeQmpServer(peer =>
        {
            for (int i = 1; i <= 5; i++)
            {
                peer.SendEvent("BIG" + i, Padded(400_000));
            }

            peer.Handshake();
            peer.ExpectClose();
        });
        using (var connection = QmpConnection.Connect(server.SocketPath, Options))
        {
            var early = connection.EarlyEvents;
            Assert.Multiple(() =>
            {
                Assert.That(early.Select(e => e.Name), Is.EqualTo(new[] { "BIG1", "BIG2", "BIG3", "BIG4", "BIG5" }));
                Assert.That(early.Select(e => e.GetDataString("pad")?.Length), Is.EqualTo(new int?[] { 400_000, 400_000, null, null, null }),
                    "1 MB of early events keep their data; later ones are name and time only");
                Assert.That(early[4].Timestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(50)));
                Assert.That(early[4].Data.GetRawText(), Is.EqualTo("{}"));
            });
        }

        server.Verify();
    }

    [Test]
    public void EventQueueNobodyDrainsFailsAtItsBudgetConnectionStaysUsable()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("query-status");
            for (int i = 0; i < 3; i++)
            {
                peer.SendEvent("BIG", Padded(60_000));
            }

            peer.Reply(id, Running);
            peer.Serve(("query-status", Running));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options with { MaxQueuedEventBytes = 100_000 }))
        {
            using var queue = client.SubscribeQueue(QmpEventFilter.All);
            client.QueryStatus();
            var e = Assert.Throws<VirtException>(() => queue.Take(TimeSpan.FromSeconds(10)))!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
                Assert.That(e.Detail, Is.EqualTo("more than 100000 bytes of QMP events waited in a queue nobody drained; the subscription was ended"));
                Assert.That(client.QueryStatus().Running, Is.True);
                Assert.That(client.State, Is.EqualTo(QmpState.Running));
            });
        }

        server.Verify();
    }

    [Test]
    public void HandlersFallingBehindPastTheBudgetBreakTheConnection()
    {
        using var release = new ManualResetEventSlim();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Expect("query-status");
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    peer.SendEvent("BIG", Padded(60_000));
                }

                peer.ExpectClose();
            }
            catch (IOException)
            {
                // The client hung up with events unread, as it should.
            }
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options with { MaxQueuedEventBytes = 100_000 }))
        {
            using var subscription = client.Subscribe(QmpEventFilter.All, _ => release.Wait(TimeSpan.FromSeconds(30)));
            QmpFakeServerTests.AssertBroken(() => client.QueryStatus(),
                "QMP event handlers fell behind: more than 100000 bytes of events waiting for them; handlers must be quick");
            release.Set();
        }

        server.Verify();
    }

    [Test]
    public void TimedOutCallsKeepABoundedNumberOfIdsLateRepliesStillDropped()
    {
        using var allTimedOut = new ManualResetEventSlim();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var ids = Enumerable.Range(0, 4).Select(_ => peer.Expect("query-status").Id).ToList();
            allTimedOut.Wait(TimeSpan.FromSeconds(20));
            ids.ForEach(id => peer.Reply(id, Running));
            peer.Serve(("query-version", "{\"qemu\": {\"major\": 7, \"minor\": 2, \"micro\": 0}, \"package\": \"\"}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options with { MaxAbandonedCalls = 2 }))
        {
            for (int i = 0; i < 4; i++)
            {
                var e = Assert.Throws<VirtException>(() => client.Query("query-status", QmpJsonContext.Default.StatusInfo, TimeSpan.FromMilliseconds(50)))!;
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
            }

            Assert.That(client.Connection.AbandonedCount, Is.EqualTo(2));
            allTimedOut.Set();
            Assert.Multiple(() =>
            {
                Assert.That(client.QueryVersion().Qemu, Is.EqualTo(new VersionTriple(7, 2, 0)), "the four late replies were dropped, none broke the connection");
                Assert.That(client.State, Is.EqualTo(QmpState.Running));
                Assert.That(client.Connection.AbandonedCount, Is.EqualTo(0));
            });
        }

        server.Verify();
    }
}
