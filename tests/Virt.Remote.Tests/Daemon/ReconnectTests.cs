using System.Collections.Concurrent;
using Virt.Drivers;

namespace Virt.Remote.Tests.Daemon;

/// <summary>
/// A daemon that dies and comes back on the same port: the caller is told, the next call connects again, and a
/// lifecycle subscription is registered again so that events keep arriving without a call.
/// </summary>
public sealed class ReconnectTests
{
    private readonly VirtDriverRegistry _registry = new();
    private ThrowawayLibvirtd _daemon = null!;

    [SetUp]
    public void SetUp()
    {
        RemoteDriver.Register(_registry, new RemoteDriverOptions { ConnectTimeout = TimeSpan.FromSeconds(5) });
        _daemon = new ThrowawayLibvirtd();
    }

    [TearDown]
    public void TearDown() => _daemon.Dispose();

    private VirtConnection Open(string uri) => VirtConnection.Open(uri, new VirtConnectionOptions { Registry = _registry });

    [Test]
    public void AfterTheDaemonRestartsTheNextCallConnectsAgainAndTheCallerWasToldItClosed()
    {
        using var conn = Open(_daemon.TcpUri);
        var closed = new BlockingCollection<ConnectionClosedEventArgs>();
        conn.Closed += (_, e) => closed.Add(e);
        Assert.That(conn.LookupDomainByName("test").GetState().State, Is.EqualTo(DomainState.Running));

        _daemon.Kill();
        Assert.That(closed.TryTake(out var notice, TimeSpan.FromSeconds(10)), Is.True, "no Closed notification");
        var whileDown = Assert.Throws<VirtException>(() => conn.GetHostname());
        _daemon.Start();

        Assert.Multiple(() =>
        {
            Assert.That(notice!.Reason, Is.EqualTo(ConnectionCloseReason.EndOfFile));
            Assert.That(notice.Error.Message, Is.EqualTo("End of file while reading data: Input/output error"));
            Assert.That(whileDown!.Code, Is.EqualTo(VirtErrorCode.SystemError), whileDown.Message);
            Assert.That(conn.LookupDomainByName("test").GetState().State, Is.EqualTo(DomainState.Running));
            Assert.That(conn.IsAlive, Is.True);
        });
    }

    [Test]
    public void LifecycleEventsKeepArrivingAfterTheDaemonRestartsWithoutACall()
    {
        using var watcher = Open(_daemon.UnixUri);
        var events = new BlockingCollection<DomainLifecycleEventArgs>();
        watcher.DomainLifecycle += (_, e) => events.Add(e);
        var closed = new BlockingCollection<ConnectionClosedEventArgs>();
        watcher.Closed += (_, e) => closed.Add(e);

        _daemon.Kill();
        Assert.That(closed.TryTake(out _, TimeSpan.FromSeconds(10)), Is.True, "no Closed notification");
        _daemon.Start();

        // The watcher makes no call: its background reconnect must register the subscription with the new daemon.
        string name = $"again-{Guid.NewGuid():N}"[..20];
        var received = new List<(string, DomainEventType)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        using var other = Open(_daemon.TcpUri);
        var dom = other.DefineDomain($"<domain type='test'><name>{name}</name><memory unit='KiB'>65536</memory><os><type>hvm</type></os></domain>");
        while (received.Count == 0 && DateTime.UtcNow < deadline)
        {
            // Events of a change made before the watcher registered again are lost (as libvirt loses them): change
            // the domain until one arrives.
            dom.Start();
            dom.Destroy();
            while (events.TryTake(out var e, TimeSpan.FromMilliseconds(500)))
            {
                if (e.Domain.Name == name)
                {
                    received.Add((e.Domain.Name, e.Type));
                }
            }
        }

        dom.Undefine();
        Assert.That(received, Does.Contain((name, DomainEventType.Started)).Or.Contain((name, DomainEventType.Stopped)));
    }

    [Test]
    public void WithoutAutoReconnectEveryLaterCallFailsWithTheReasonTheLinkBroke()
    {
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry, new RemoteDriverOptions { AutoReconnect = false });
        using var conn = VirtConnection.Open(_daemon.TcpUri, new VirtConnectionOptions { Registry = registry });
        var closed = new ManualResetEventSlim();
        conn.Closed += (_, _) => closed.Set();

        _daemon.Kill();
        Assert.That(closed.Wait(TimeSpan.FromSeconds(10)), Is.True);
        _daemon.Start();

        var ex = Assert.Throws<VirtException>(() => conn.GetHostname());
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo("End of file while reading data: Input/output error"));
            Assert.That(conn.IsAlive, Is.False);
        });
    }
}
