using Microsoft.Extensions.Logging;
using Virt.Drivers;
using Virt.Remote.Protocol;
using Virt.Remote.Rpc;
using Virt.Remote.Xdr;

namespace Virt.Remote.Driver;

/// <summary>
/// The remote driver for one connection: every <see cref="VirtDriver"/> member becomes one call of libvirt's
/// remote program, as libvirt's own remote driver makes it (the flag-less procedure when the flags are zero, as
/// the public API's flag-less function does). Errors are the daemon's, unchanged. The link to the daemon may be
/// replaced after it breaks (RemoteDomainDriver.Reconnect.cs).
/// </summary>
internal sealed partial class RemoteDomainDriver : VirtDriver
{
    private readonly ILogger _logger;
    private RpcConnection _rpc;
    private string? _type;

    /// <summary>A driver over one link that is never replaced: when it breaks, calls fail with the reason.</summary>
    public RemoteDomainDriver(RpcConnection rpc, ILogger logger)
    {
        _rpc = rpc;
        _logger = logger;
        Watch(rpc);
    }

    /// <summary>Whether the daemon answers keepalive pings (it said so when the connection opened).</summary>
    public bool KeepAliveSupported { get; private set; }

    /// <summary>The current link to the daemon.</summary>
    internal RpcConnection Rpc => Volatile.Read(ref _rpc);

    /// <inheritdoc/>
    public override string HypervisorType => _type ??= Call(RemoteProcedure.ConnectGetType, null, static (ref XdrReader r) => r.ReadString());

    /// <inheritdoc/>
    public override bool IsAlive => Rpc.IsOpen;

    /// <summary>Authenticates and opens the daemon's connection to <paramref name="name"/>, as libvirt's doRemoteOpen does.</summary>
    public void Open(string? name, uint flags) => Open(Rpc, name, flags);

    private void Open(RpcConnection rpc, string? name, uint flags)
    {
        Authenticate(rpc);
        KeepAliveSupported = SupportsFeature(rpc, RemoteLimits.FeatureProgramKeepAlive);
        Call(rpc, RemoteProcedure.ConnectOpen, w =>
        {
            w.WriteOptionalString(name);
            w.WriteUInt32(flags);
        }, static (ref XdrReader r) => true);
        _serverEventFilter = SupportsFeature(rpc, RemoteLimits.FeatureRemoteEventCallback);
    }

    private bool SupportsFeature(RpcConnection rpc, int feature) =>
        Call(rpc, RemoteProcedure.ConnectSupportsFeature, w => w.WriteInt32(feature), static (ref XdrReader r) => r.ReadInt32() != 0);

    private void Authenticate(RpcConnection rpc)
    {
        var types = Call(rpc, RemoteProcedure.AuthList, null,
            static (ref XdrReader r) => RemoteWire.ReadArray(ref r, RemoteLimits.AuthTypeListMax, "auth types", static (ref XdrReader x) => (RemoteAuthType)x.ReadInt32()));
        if (types.Length == 0 || types.Contains(RemoteAuthType.None))
        {
            return;
        }

        if (types.Contains(RemoteAuthType.Polkit))
        {
            Call(rpc, RemoteProcedure.AuthPolkit, null, static (ref XdrReader r) => true);
            return;
        }

        string names = string.Join(", ", types.Select(t => t.ToString().ToLowerInvariant()));
        throw new VirtException(VirtErrorCode.AuthFailed,
            $"the daemon requires {names} authentication, which Virt.Remote does not support yet; configure the daemon with auth \"none\" or \"polkit\" for this socket");
    }

    /// <inheritdoc/>
    public override string GetHostname() => Call(RemoteProcedure.ConnectGetHostname, null, static (ref XdrReader r) => r.ReadString());

    /// <inheritdoc/>
    public override Version GetHypervisorVersion()
    {
        ulong v = Call(RemoteProcedure.ConnectGetVersion, null, static (ref XdrReader r) => r.ReadUInt64());
        return new Version((int)(v / 1000000), (int)(v / 1000 % 1000), (int)(v % 1000));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            var rpc = StopReconnecting();
            if (rpc.IsOpen)
            {
                try
                {
                    rpc.Call(RpcPrograms.Remote, RpcPrograms.RemoteVersion, (int)RemoteProcedure.ConnectClose, null, TimeSpan.FromSeconds(10));
                }
                catch (VirtException)
                {
                    // Closing anyway: the daemon drops its side when the socket closes.
                }
            }

            rpc.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Call(RemoteProcedure procedure, Action<XdrWriter>? args, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var reply = Link().Call(RpcPrograms.Remote, RpcPrograms.RemoteVersion, (int)procedure, args, timeout, cancellationToken);
        Decode(reply, static (ref XdrReader r) => true);
    }

    private T Call<T>(RemoteProcedure procedure, Action<XdrWriter>? args, XdrDecoder<T> decode, CancellationToken cancellationToken = default) =>
        Call(Link(), procedure, args, decode, cancellationToken);

    private T Call<T>(RpcConnection rpc, RemoteProcedure procedure, Action<XdrWriter>? args, XdrDecoder<T> decode, CancellationToken cancellationToken = default)
    {
        var reply = rpc.Call(RpcPrograms.Remote, RpcPrograms.RemoteVersion, (int)procedure, args, null, cancellationToken);
        return Decode(rpc, reply, decode);
    }

    private T Decode<T>(RpcInbound reply, XdrDecoder<T> decode) => Decode(Rpc, reply, decode);

    /// <summary>Decodes a reply's payload; a payload that does not decode breaks the link, which no longer speaks the same protocol.</summary>
    private static T Decode<T>(RpcConnection rpc, RpcInbound reply, XdrDecoder<T> decode)
    {
        try
        {
            var reader = reply.PayloadReader();
            T value = decode(ref reader);
            reader.EnsureEnd();
            return value;
        }
        catch (XdrException ex)
        {
            var reason = new VirtException(VirtErrorCode.Rpc, $"cannot decode the reply to procedure {reply.Header.Procedure}: {ex.Message}", ex);
            rpc.Break(reason);
            throw reason;
        }
    }
}
