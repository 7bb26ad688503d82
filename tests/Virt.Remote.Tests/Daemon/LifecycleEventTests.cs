using System.Collections.Concurrent;
using Virt.Drivers;
using Virt.Remote.Driver;
using Virt.Remote.Protocol;
using Virt.Remote.Rpc;
using Virt.Remote.Transport;

namespace Virt.Remote.Tests.Daemon;

/// <summary>Lifecycle events from the real daemon: another connection's changes arrive as MESSAGE frames (procedure 318).</summary>
public sealed class LifecycleEventTests
{
    [Test]
    public void ChangesMadeOnAnotherConnectionArriveInOrderWithLibvirtsTypeAndDetail()
    {
        var daemon = ThrowawayLibvirtd.Shared;
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry);
        using var other = VirtConnection.Open(daemon.TcpUri, new VirtConnectionOptions { Registry = registry });

        var target = RemoteTarget.FromUri(VirtUri.Parse(daemon.UnixUri));
        var rpc = new RpcConnection(TransportConnector.Connect(target, "/default", TimeSpan.FromSeconds(10)), new RpcConnectionOptions(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var watcher = new RemoteDomainDriver(rpc, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        watcher.Open(target.DaemonUri, 0);
        var events = new BlockingCollection<RemoteLifecycleEvent>();
        watcher.LifecycleEventReceived += events.Add;
        watcher.RegisterLifecycleEvents();

        string name = $"events-{Guid.NewGuid():N}"[..20];
        var dom = other.DefineDomain($"<domain type='test'><name>{name}</name><memory unit='KiB'>65536</memory><os><type>hvm</type></os></domain>");
        dom.Start();
        dom.Suspend();
        dom.Resume();
        dom.Destroy();
        dom.Undefine();

        var received = new List<(string, int, int)>();
        while (received.Count < 6 && events.TryTake(out var e, TimeSpan.FromSeconds(10)))
        {
            if (e.Domain.Name == name)
            {
                received.Add((e.Domain.Name, e.Type, e.Detail));
            }
        }

        // virDomainEventType: Defined 0 (Added 0), Started 2 (Booted 0), Suspended 3 (Paused 0),
        // Resumed 4 (Unpaused 0), Stopped 5 (Destroyed 1), Undefined 1 (Removed 0).
        Assert.That(received, Is.EqualTo(new[] { (name, 0, 0), (name, 2, 0), (name, 3, 0), (name, 4, 0), (name, 5, 1), (name, 1, 0) }));
    }

    [Test]
    public void TheFacadesDomainLifecycleEventCarriesTheDaemonsEvents()
    {
        var daemon = ThrowawayLibvirtd.Shared;
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry);
        using var other = VirtConnection.Open(daemon.TcpUri, new VirtConnectionOptions { Registry = registry });
        using var watcher = VirtConnection.Open(daemon.UnixUri, new VirtConnectionOptions { Registry = registry });
        var events = new BlockingCollection<DomainLifecycleEventArgs>();
        watcher.DomainLifecycle += (_, e) => events.Add(e);

        string name = $"facade-{Guid.NewGuid():N}"[..20];
        var dom = other.DefineDomain($"<domain type='test'><name>{name}</name><memory unit='KiB'>65536</memory><os><type>hvm</type></os></domain>");
        dom.Start();
        dom.Destroy();
        dom.Undefine();

        var received = new List<(string, DomainEventType, int)>();
        while (received.Count < 4 && events.TryTake(out var e, TimeSpan.FromSeconds(10)))
        {
            if (e.Domain.Name == name)
            {
                received.Add((e.Domain.Name, e.Type, e.Detail));
            }
        }

        Assert.That(received, Is.EqualTo(new[]
        {
            (name, DomainEventType.Defined, (int)DomainEventDefinedDetail.Added),
            (name, DomainEventType.Started, (int)DomainEventStartedDetail.Booted),
            (name, DomainEventType.Stopped, (int)DomainEventStoppedDetail.Destroyed),
            (name, DomainEventType.Undefined, (int)DomainEventUndefinedDetail.Removed),
        }));
    }
}
