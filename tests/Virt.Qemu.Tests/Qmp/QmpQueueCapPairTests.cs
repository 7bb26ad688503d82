using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>
/// Each QMP memory cap in a pair: exactly at the cap accepted, one past refused or handled as documented
/// (<see cref="QmpClientOptions"/>): an event queue fails, the handlers' backlog refuses the event, early
/// events lose their data, then their place; the oldest abandoned call id gives way to the id range.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpQueueCapPairTests
{
    private const string Running = "{\"status\": \"running\", \"singlestep\": false, \"running\": true}";

    private static readonly QmpClientOptions Options = new() { ConnectTimeout = TimeSpan.FromSeconds(5) };

    private static QmpEvent Sized(string name, int bytes) => new(name, QmpEvent.EmptyObject, DateTimeOffset.UnixEpoch) { SizeBytes = bytes };

    /// <summary>The event line <see cref="FakeQmpPeer.SendEvent"/> sends, without its CRLF: what the event is charged.</summary>
    private static int LineBytes(string name, string data) =>
        Encoding.UTF8.GetByteCount("{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}, \"event\": \"" + name + "\", \"data\": " + data + "}");

    [TestCase(40, true)]
    [TestCase(41, false)]
    public void EventQueueHoldsExactlyItsBudget(int secondBytes, bool accepted)
    {
        using var queue = new QmpEventQueue(100);
        queue.Add(Sized("FIRST", 60));
        queue.Add(Sized("SECOND", secondBytes));
        if (accepted)
        {
            Assert.Multiple(() =>
            {
                Assert.That(queue.Take(TimeSpan.Zero)?.Name, Is.EqualTo("FIRST"));
                Assert.That(queue.Take(TimeSpan.Zero)?.Name, Is.EqualTo("SECOND"));
                Assert.That(queue.Take(TimeSpan.Zero), Is.Null);
            });
        }
        else
        {
            var e = Assert.Throws<VirtException>(() => queue.Take(TimeSpan.Zero))!;
            Assert.That(e.Detail, Is.EqualTo("more than 100 bytes of QMP events waited in a queue nobody drained; the subscription was ended"));
        }
    }

    [TestCase(40, true)]
    [TestCase(41, false)]
    public void HandlerBacklogHoldsExactlyItsBudget(int secondBytes, bool accepted)
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var delivered = new List<string>();
        var subscription = new QmpSubscription(null!, QmpEventFilter.All, e =>
        {
            lock (delivered)
            {
                delivered.Add(e.Name);
            }

            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }, null, null);
        var dispatcher = new QmpEventDispatcher(NullLogger.Instance, 100, "cap-pair");
        QmpSubscription[] subscribers = [subscription];

        Assert.That(dispatcher.TryPost(Sized("BUSY", 100), subscribers), Is.True);
        Assert.That(entered.Wait(TimeSpan.FromSeconds(30)), Is.True, "the handler never ran");
        bool first = dispatcher.TryPost(Sized("FIRST", 60), subscribers);
        bool second = dispatcher.TryPost(Sized("SECOND", secondBytes), subscribers);
        release.Set();
        Assert.That(dispatcher.WaitIdle(TimeSpan.FromSeconds(30)), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.True);
            Assert.That(second, Is.EqualTo(accepted));
            Assert.That(delivered, Is.EqualTo(accepted ? new[] { "BUSY", "FIRST", "SECOND" } : new[] { "BUSY", "FIRST" }));
        });
    }

    [TestCase(0, true)]
    [TestCase(-1, false)]
    public void EarlyEventsKeepTheirDataExactlyUpToTheBudget(int slack, bool secondKeepsData)
    {
        string data = "{\"pad\": \"" + new string('p', 1000) + "\"}";
        long budget = LineBytes("ONE", data) + LineBytes("TWO", data) + slack;
        using var server = new FakeQmpServer(peer =>
        {
            peer.SendEvent("ONE", data);
            peer.SendEvent("TWO", data);
            peer.Handshake();
            peer.ExpectClose();
        });
        using (var connection = QmpConnection.Connect(server.SocketPath, Options with { MaxEarlyEventBytes = budget }))
        {
            var early = connection.EarlyEvents;
            Assert.Multiple(() =>
            {
                Assert.That(early.Select(e => e.Name), Is.EqualTo(new[] { "ONE", "TWO" }));
                Assert.That(early[0].GetDataString("pad")?.Length, Is.EqualTo(1000));
                Assert.That(early[1].GetDataString("pad")?.Length, Is.EqualTo(secondKeepsData ? 1000 : null));
            });
        }

        server.Verify();
    }

    [Test]
    public void EarlyEventsPastTheBudgetKeepNamesUpTo256Characters()
    {
        string kept = new('K', 256);
        string dropped = new('D', 257);
        using var server = new FakeQmpServer(peer =>
        {
            peer.SendEvent(kept);
            peer.SendEvent(dropped);
            peer.SendEvent("LAST");
            peer.Handshake();
            peer.ExpectClose();
        });
        using (var connection = QmpConnection.Connect(server.SocketPath, Options with { MaxEarlyEventBytes = 0 }))
        {
            Assert.That(connection.EarlyEvents.Select(e => e.Name), Is.EqualTo(new[] { kept, "LAST" }));
        }

        server.Verify();
    }

    [Test]
    public void EarlyEventsKeepThe1024thAndDropThe1025th()
    {
        using var server = new FakeQmpServer(peer =>
        {
            for (int i = 1; i <= 1025; i++)
            {
                peer.SendEvent("E" + i);
            }

            peer.Handshake();
            peer.ExpectClose();
        });
        using (var connection = QmpConnection.Connect(server.SocketPath, Options))
        {
            var names = connection.EarlyEvents.Select(e => e.Name).ToList();
            Assert.That(names, Is.EqualTo(Enumerable.Range(1, 1024).Select(i => "E" + i)));
        }

        server.Verify();
    }

    [TestCase(3, 3)]
    [TestCase(4, 3)]
    public void AbandonedCallIdsKeptExactlyUpToTheCap(int timedOut, int kept)
    {
        using var allTimedOut = new ManualResetEventSlim();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var ids = Enumerable.Range(0, timedOut).Select(_ => peer.Expect("query-status").Id).ToList();
            allTimedOut.Wait(TimeSpan.FromSeconds(20));
            ids.ForEach(id => peer.Reply(id, Running));
            peer.Serve(("query-version", "{\"qemu\": {\"major\": 7, \"minor\": 2, \"micro\": 0}, \"package\": \"\"}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options with { MaxAbandonedCalls = 3 }))
        {
            for (int i = 0; i < timedOut; i++)
            {
                var e = Assert.Throws<VirtException>(() => client.Query("query-status", QmpJsonContext.Default.StatusInfo, TimeSpan.FromMilliseconds(50)))!;
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
            }

            Assert.That(client.Connection.AbandonedCount, Is.EqualTo(kept));
            allTimedOut.Set();
            Assert.Multiple(() =>
            {
                Assert.That(client.QueryVersion().Qemu, Is.EqualTo(new VersionTriple(7, 2, 0)), "every late reply was dropped, none broke the connection");
                Assert.That(client.State, Is.EqualTo(QmpState.Running));
            });
        }

        server.Verify();
    }
}
