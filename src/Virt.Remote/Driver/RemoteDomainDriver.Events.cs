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

    /// <summary>
    /// Raised on the connection's dispatcher thread (never the reader) for every lifecycle event of any domain, in
    /// the order the daemon sent them, once <see cref="RegisterLifecycleEvents"/> has run.
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
    /// Asks the daemon for every domain's lifecycle events (CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY with no domain),
    /// which then arrive as DOMAIN_EVENT_CALLBACK_LIFECYCLE messages between replies.
    /// </summary>
    public void RegisterLifecycleEvents()
    {
        _rpc.MessageReceived += OnMessage;
        int id = Call(RemoteProcedure.ConnectDomainEventCallbackRegisterAny, w =>
        {
            w.WriteInt32(EventIdLifecycle);
            w.WriteBool(false);
        }, static (ref XdrReader r) => r.ReadInt32());
        Volatile.Write(ref _lifecycleCallbackId, id);
    }

    private void OnMessage(RpcInbound message)
    {
        if (message.Header.Program != RpcPrograms.Remote || message.Header.Procedure != (int)RemoteProcedure.DomainEventCallbackLifecycle)
        {
            return;
        }

        var (callbackId, lifecycleEvent) = Decode(message, static (ref XdrReader r) =>
        {
            int callback = r.ReadInt32();
            var domain = RemoteWire.ReadDomain(ref r);
            return (callback, new RemoteLifecycleEvent(domain.Identity, r.ReadInt32(), r.ReadInt32()));
        });

        // An event may overtake the registration's reply on the dispatcher; only one lifecycle callback is registered.
        int expected = Volatile.Read(ref _lifecycleCallbackId);
        if (expected < 0 || callbackId == expected)
        {
            LifecycleEventReceived?.Invoke(lifecycleEvent);
        }
    }
}
