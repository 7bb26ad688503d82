using Microsoft.Extensions.Logging;
using Virt.Drivers;

namespace Virt.Core.Tests.Events;

/// <summary>The connection's lifecycle event: delivery thread, order, failing and slow handlers, unsubscribe, disposal.</summary>
public sealed class DomainLifecycleEventTests
{
    [Test]
    public void DeliversEveryEventInOrderOnOneBackgroundThreadWithTheConnectionAsSender()
    {
        var driver = new EventingDriver();
        using var conn = EventingDriver.Open(driver);
        using var recorder = new EventRecorder();
        conn.DomainLifecycle += recorder.Handler;

        for (int i = 0; i < 200; i++)
        {
            driver.Raise(DomainEventType.Stopped, i);
        }

        var received = Enumerable.Range(0, 200).Select(_ => recorder.Next()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(r => r.Args.Detail), Is.EqualTo(Enumerable.Range(0, 200)));
            Assert.That(received.Select(r => r.ThreadId).Distinct().Count(), Is.EqualTo(1));
            Assert.That(received[0].ThreadId, Is.Not.EqualTo(Environment.CurrentManagedThreadId));
            Assert.That(received[0].Sender, Is.SameAs(conn));
            Assert.That(received[0].Args.Domain.Name, Is.EqualTo("web"));
            Assert.That(received[0].Args.Domain.Uuid, Is.EqualTo(EventingDriver.Web.Uuid));
            Assert.That(received[0].Args.Type, Is.EqualTo(DomainEventType.Stopped));
        });
    }

    [Test]
    public void EventsPublishedFromOtherThreadsAreDeliveredAndAHandlerMayCallTheConnection()
    {
        var driver = new EventingDriver();
        using var conn = EventingDriver.Open(driver);
        using var recorder = new EventRecorder();
        string? hostSeenInHandler = null;
        conn.DomainLifecycle += (s, e) => hostSeenInHandler ??= ((IVirtConnection)s!).GetHostname();
        conn.DomainLifecycle += recorder.Handler;

        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                driver.Raise(DomainEventType.Started, (t * 1000) + i);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var details = Enumerable.Range(0, 200).Select(_ => recorder.Next().Args.Detail).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(details, Is.EquivalentTo(Enumerable.Range(0, 4).SelectMany(t => Enumerable.Range(t * 1000, 50))));
            for (int t = 0; t < 4; t++)
            {
                Assert.That(details.Where(d => d / 1000 == t), Is.Ordered, $"thread {t}'s events keep their order");
            }

            Assert.That(hostSeenInHandler, Is.EqualTo("eventing-host"));
        });
    }

    [Test]
    public void AThrowingHandlerIsLoggedAndNeitherOtherHandlersNorLaterEventsAreAffected()
    {
        var logs = new ListLoggerFactory();
        var driver = new EventingDriver();
        using var conn = EventingDriver.Open(driver, logs);
        using var recorder = new EventRecorder();
        conn.DomainLifecycle += (_, _) => throw new InvalidOperationException("handler bug");
        conn.DomainLifecycle += recorder.Handler;

        driver.Raise(DomainEventType.Suspended);
        driver.Raise(DomainEventType.Resumed);

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Next().Args.Type, Is.EqualTo(DomainEventType.Suspended));
            Assert.That(recorder.Next().Args.Type, Is.EqualTo(DomainEventType.Resumed));
            var failures = logs.Entries.Where(e => e.EventId == VirtLogEvents.Core.EventHandlerFailed).ToList();
            Assert.That(failures, Has.Count.EqualTo(2));
            Assert.That(failures[0].Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(failures[0].Exception, Is.TypeOf<InvalidOperationException>());
            Assert.That(failures[0].Message, Does.Contain("'web'").And.Contain("Suspended"));
        });
    }

    [Test]
    public void ASlowHandlerNeverBlocksTheDriver()
    {
        var driver = new EventingDriver();
        using var conn = EventingDriver.Open(driver);
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        using var recorder = new EventRecorder();
        conn.DomainLifecycle += (_, _) =>
        {
            entered.Set();
            release.Wait();
        };
        conn.DomainLifecycle += recorder.Handler;

        driver.Raise(DomainEventType.Started);
        Assert.That(entered.Wait(TimeSpan.FromSeconds(30)), Is.True, "the first event reached the slow handler");

        // The handler is still blocked: these return at once (a blocking publish would hang the test here).
        driver.Raise(DomainEventType.Suspended);
        driver.Raise(DomainEventType.Resumed);
        release.Set();

        Assert.That(new[] { recorder.Next(), recorder.Next(), recorder.Next() }.Select(r => r.Args.Type),
            Is.EqualTo(new[] { DomainEventType.Started, DomainEventType.Suspended, DomainEventType.Resumed }));
    }

    [Test]
    public void ARemovedHandlerGetsNoLaterEvent()
    {
        var driver = new EventingDriver();
        using var conn = EventingDriver.Open(driver);
        using var removed = new EventRecorder();
        using var kept = new EventRecorder();
        conn.DomainLifecycle += removed.Handler;
        conn.DomainLifecycle += kept.Handler;

        driver.Raise(DomainEventType.Started);
        Assert.That(removed.Next().Args.Type, Is.EqualTo(DomainEventType.Started));
        Assert.That(kept.Next().Args.Type, Is.EqualTo(DomainEventType.Started));
        conn.DomainLifecycle -= removed.Handler;
        driver.Raise(DomainEventType.Stopped);

        // The removed handler came first in the list: had it been called for this event, it would have been by now.
        Assert.That(kept.Next().Args.Type, Is.EqualTo(DomainEventType.Stopped));
        Assert.That(removed.Pending, Is.Zero);
    }

    [Test]
    public void EventsWithoutSubscribersAreDropped()
    {
        var driver = new EventingDriver();
        using var conn = EventingDriver.Open(driver);
        using var recorder = new EventRecorder();

        driver.Raise(DomainEventType.Defined);
        conn.DomainLifecycle += recorder.Handler;
        driver.Raise(DomainEventType.Started);

        Assert.That(recorder.Next().Args.Type, Is.EqualTo(DomainEventType.Started));
    }

    [Test]
    public void DisposeWaitsForARunningHandler()
    {
        var driver = new EventingDriver();
        var conn = EventingDriver.Open(driver);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int handlerDone = 0;
        conn.DomainLifecycle += (_, _) =>
        {
            entered.Set();
            release.Wait();
            Volatile.Write(ref handlerDone, 1);
        };

        driver.Raise(DomainEventType.Started);
        Assert.That(entered.Wait(TimeSpan.FromSeconds(30)), Is.True);
        var dispose = Task.Run(conn.Dispose);
        SpinWait.SpinUntil(() => !conn.IsAlive);
        release.Set();
        dispose.Wait();

        Assert.Multiple(() =>
        {
            Assert.That(Volatile.Read(ref handlerDone), Is.EqualTo(1), "Dispose returned only after the running handler did");
            Assert.DoesNotThrow(() => driver.Raise(DomainEventType.Undefined), "a driver may still publish after the close");
            Assert.Throws<ObjectDisposedException>(() => conn.DomainLifecycle += (_, _) => { });
        });
    }

    [Test]
    public void EventsQueuedBehindTheCloseAreDropped()
    {
        var driver = new EventingDriver();
        var conn = EventingDriver.Open(driver);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var types = new List<DomainEventType>();
        Thread? deliveryThread = null;
        conn.DomainLifecycle += (s, e) =>
        {
            types.Add(e.Type);
            deliveryThread = Thread.CurrentThread;
            entered.Set();
            release.Wait();
            ((IDisposable)s!).Dispose();
        };

        driver.Raise(DomainEventType.Started);
        Assert.That(entered.Wait(TimeSpan.FromSeconds(30)), Is.True);
        driver.Raise(DomainEventType.Stopped);
        release.Set();

        // The delivery thread ends once the closed connection's queue is drained.
        Assert.That(deliveryThread!.Join(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(types, Is.EqualTo(new[] { DomainEventType.Started }));
    }

    [Test]
    public void AHandlerMayDisposeTheConnection()
    {
        var driver = new EventingDriver();
        var conn = EventingDriver.Open(driver);
        using var disposed = new ManualResetEventSlim();
        conn.DomainLifecycle += (s, _) =>
        {
            ((IDisposable)s!).Dispose();
            disposed.Set();
        };

        driver.Raise(DomainEventType.Crashed);

        Assert.That(disposed.Wait(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(conn.IsAlive, Is.False);
    }

    [Test]
    public void SubscribingToADriverWithoutEventsFailsAsLibvirt()
    {
        using var conn = EventingDriver.Open(new SilentDriver());

        var ex = Assert.Throws<VirtException>(() => conn.DomainLifecycle += (_, _) => { });

        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoSupport));
        Assert.That(ex.Message, Is.EqualTo("this function is not supported by the connection driver: virConnectDomainEventRegisterAny"));
    }

    [Test]
    public void FactoriesPickTheTypeFromTheDetailAndArgsPrintBoth()
    {
        var driver = new EventingDriver();
        using var conn = EventingDriver.Open(driver);
        using var recorder = new EventRecorder();
        conn.DomainLifecycle += recorder.Handler;

        driver.Raise(DomainLifecycleEvent.Of(EventingDriver.Web, DomainEventStoppedDetail.FromSnapshot));
        driver.Raise(DomainLifecycleEvent.Of(EventingDriver.Web, DomainEventCrashedDetail.Panicked));
        driver.Raise(DomainLifecycleEvent.Of(EventingDriver.Web, DomainEventDefinedDetail.Updated));

        Assert.Multiple(() =>
        {
            var stopped = recorder.Next().Args;
            Assert.That((stopped.Type, stopped.Detail), Is.EqualTo((DomainEventType.Stopped, 6)));
            Assert.That(stopped.ToString(), Is.EqualTo("web: Stopped FromSnapshot"));
            Assert.That(recorder.Next().Args.ToString(), Is.EqualTo("web: Crashed Panicked"));
            Assert.That(recorder.Next().Args.ToString(), Is.EqualTo("web: Defined Updated"));
        });
    }

    [Test]
    public void EnumValuesAreLibvirts()
    {
        Assert.Multiple(() =>
        {
            Assert.That((int)DomainEventType.Crashed, Is.EqualTo(8));
            Assert.That((int)DomainEventType.PMSuspended, Is.EqualTo(7));
            Assert.That((int)DomainEventDefinedDetail.FromSnapshot, Is.EqualTo(3));
            Assert.That((int)DomainEventStartedDetail.Wakeup, Is.EqualTo(4));
            Assert.That((int)DomainEventSuspendedDetail.PostcopyFailed, Is.EqualTo(8));
            Assert.That((int)DomainEventResumedDetail.PostcopyFailed, Is.EqualTo(4));
            Assert.That((int)DomainEventStoppedDetail.FromSnapshot, Is.EqualTo(6));
            Assert.That((int)DomainEventShutdownDetail.Host, Is.EqualTo(2));
            Assert.That((int)DomainEventCrashedDetail.Crashloaded, Is.EqualTo(1));
        });
    }

    private sealed class SilentDriver : VirtDriver
    {
        public override string HypervisorType => "Silent";
    }

    [Test]
    public void TheDriverStartsItsEventsOnceAtTheFirstSubscriptionAndAgainOnlyAfterAFailedStart()
    {
        var driver = new EventingDriver { StartFailure = new VirtException(VirtErrorCode.Rpc, "peer refused") };
        using var conn = EventingDriver.Open(driver);

        Assert.That(() => conn.DomainLifecycle += (_, _) => { }, Throws.TypeOf<VirtException>().With.Message.EqualTo("peer refused"));
        conn.DomainLifecycle += (_, _) => { };
        conn.DomainLifecycle += (_, _) => { };

        Assert.That(driver.Starts, Is.EqualTo(2), "one failed start, then one start for both later subscribers");
    }
}
