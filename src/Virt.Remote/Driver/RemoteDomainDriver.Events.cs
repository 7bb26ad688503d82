using Virt.Drivers;
using Virt.Remote.Protocol;
using Virt.Remote.Rpc;
using Virt.Remote.Xdr;

namespace Virt.Remote.Driver;

/// <summary>A domain lifecycle event as the daemon sent it: libvirt's virDomainEventType and detail numbers.</summary>
internal readonly record struct RemoteLifecycleEvent(DomainIdentity Domain, int Type, int Detail);

internal sealed partial class RemoteDomainDriver
{
    /// <summary>VIR_DOMAIN_EVENT_ID_LIFECYCLE.</summary>
    private const int EventIdLifecycle = 0;

    private int _lifecycleCallbackId = -1;
    private bool _eventsRequested;
    private bool _serverEventFilter;

    /// <summary>
    /// Raised on the connection's dispatcher thread (never the reader) for every lifecycle event of any domain, in
    /// the order the daemon sent them, once <see cref="RegisterLifecycleEvents()"/> has run.
    /// </summary>
    public event Action<RemoteLifecycleEvent>? LifecycleEventReceived;

    /// <inheritdoc/>
    public override bool SupportsDomainEvents => true;

    /// <summary>Asks the daemon for every domain's lifecycle events, published to the connection's subscribers.</summary>
    protected override void StartDomainEvents()
    {
        LifecycleEventReceived += e => PublishDomainEvent(new DomainLifecycleEvent(e.Domain, (DomainEventType)e.Type, e.Detail));
        RegisterLifecycleEvents();
    }

    /// <summary>
    /// Asks the daemon for every domain's lifecycle events, which then arrive as messages between replies; links made
    /// after a reconnect ask again.
    /// </summary>
    public void RegisterLifecycleEvents()
    {
        RegisterLifecycleEvents(Link());
        Volatile.Write(ref _eventsRequested, true);
    }

    /// <summary>
    /// As libvirt's remoteConnectDomainEventRegisterAny: CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY (no domain), whose
    /// events are DOMAIN_EVENT_CALLBACK_LIFECYCLE with the callback id, when the daemon said at open that it has
    /// VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK; else the older CONNECT_DOMAIN_EVENT_REGISTER_ANY, whose events are
    /// DOMAIN_EVENT_LIFECYCLE without one.
    /// </summary>
    private void RegisterLifecycleEvents(RpcConnection rpc)
    {
        rpc.MessageReceived += OnMessage;
        if (!_serverEventFilter)
        {
            Call(rpc, RemoteProcedure.ConnectDomainEventRegisterAny, w => w.WriteInt32(EventIdLifecycle), static (ref XdrReader r) => true);
            Volatile.Write(ref _lifecycleCallbackId, -1);
            return;
        }

        Volatile.Write(ref _lifecycleCallbackId, -1);
        int id = Call(rpc, RemoteProcedure.ConnectDomainEventCallbackRegisterAny, w =>
        {
            w.WriteInt32(EventIdLifecycle);
            w.WriteBool(false);
        }, static (ref XdrReader r) => r.ReadInt32());
        Volatile.Write(ref _lifecycleCallbackId, id);
    }

    private void OnMessage(RpcInbound message)
    {
        if (message.Header.Program != RpcPrograms.Remote)
        {
            return;
        }

        int callbackId;
        RemoteLifecycleEvent lifecycleEvent;
        switch ((RemoteProcedure)message.Header.Procedure)
        {
            case RemoteProcedure.DomainEventCallbackLifecycle:
                (callbackId, lifecycleEvent) = Decode(message, static (ref XdrReader r) =>
                {
                    int callback = r.ReadInt32();
                    return (callback, ReadLifecycle(ref r));
                });
                break;
            case RemoteProcedure.DomainEventLifecycle:
                (callbackId, lifecycleEvent) = (-1, Decode(message, static (ref XdrReader r) => ReadLifecycle(ref r)));
                break;
            default:
                return;
        }

        // An event may overtake the registration's reply on the dispatcher; only one lifecycle callback is registered.
        int expected = Volatile.Read(ref _lifecycleCallbackId);
        if (expected < 0 || callbackId == expected)
        {
            LifecycleEventReceived?.Invoke(lifecycleEvent);
        }
    }

    /// <summary>remote_domain_event_lifecycle_msg: the domain, the event type and its detail.</summary>
    private static RemoteLifecycleEvent ReadLifecycle(ref XdrReader r)
    {
        var domain = RemoteWire.ReadDomain(ref r);
        return new RemoteLifecycleEvent(domain.Identity, r.ReadInt32(), r.ReadInt32());
    }
}
