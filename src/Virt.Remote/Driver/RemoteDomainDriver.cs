using Microsoft.Extensions.Logging;
using Virt.Drivers;
using Virt.Remote.Protocol;
using Virt.Remote.Rpc;
using Virt.Remote.Xdr;

namespace Virt.Remote.Driver;

/// <summary>
/// The remote driver for one connection: every <see cref="VirtDriver"/> member becomes one call of libvirt's
/// remote program, as libvirt's own remote driver makes it (the flag-less procedure when the flags are zero, as
/// the public API's flag-less function does). Errors are the daemon's, unchanged.
/// </summary>
internal sealed partial class RemoteDomainDriver : VirtDriver
{
    private readonly RpcConnection _rpc;
    private readonly ILogger _logger;
    private string? _type;

    public RemoteDomainDriver(RpcConnection rpc, ILogger logger)
    {
        _rpc = rpc;
        _logger = logger;
    }

    /// <summary>Whether the daemon answers keepalive pings (it said so when the connection opened).</summary>
    public bool KeepAliveSupported { get; private set; }

    internal RpcConnection Rpc => _rpc;

    /// <inheritdoc/>
    public override string HypervisorType => _type ??= Call(RemoteProcedure.ConnectGetType, null, static (ref XdrReader r) => r.ReadString());

    /// <inheritdoc/>
    public override bool IsAlive => _rpc.IsOpen;

    /// <summary>Authenticates and opens the daemon's connection to <paramref name="name"/>, as libvirt's doRemoteOpen does.</summary>
    public void Open(string? name, uint flags)
    {
        Authenticate();
        KeepAliveSupported = Call(RemoteProcedure.ConnectSupportsFeature,
            w => w.WriteInt32(RemoteLimits.FeatureProgramKeepAlive), static (ref XdrReader r) => r.ReadInt32() != 0);
        Call(RemoteProcedure.ConnectOpen, w =>
        {
            w.WriteOptionalString(name);
            w.WriteUInt32(flags);
        });
    }

    private void Authenticate()
    {
        var types = Call(RemoteProcedure.AuthList, null,
            static (ref XdrReader r) => RemoteWire.ReadArray(ref r, RemoteLimits.AuthTypeListMax, "auth types", static (ref XdrReader x) => (RemoteAuthType)x.ReadInt32()));
        if (types.Length == 0 || types.Contains(RemoteAuthType.None))
        {
            return;
        }

        if (types.Contains(RemoteAuthType.Polkit))
        {
            Call(RemoteProcedure.AuthPolkit, null);
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
            if (_rpc.IsOpen)
            {
                try
                {
                    Call(RemoteProcedure.ConnectClose, null, timeout: TimeSpan.FromSeconds(10));
                }
                catch (VirtException)
                {
                    // Closing anyway: the daemon drops its side when the socket closes.
                }
            }

            _rpc.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Call(RemoteProcedure procedure, Action<XdrWriter>? args, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var reply = _rpc.Call(RpcPrograms.Remote, RpcPrograms.RemoteVersion, (int)procedure, args, timeout, cancellationToken);
        Decode(reply, static (ref XdrReader r) => true);
    }

    private T Call<T>(RemoteProcedure procedure, Action<XdrWriter>? args, XdrDecoder<T> decode, CancellationToken cancellationToken = default)
    {
        var reply = _rpc.Call(RpcPrograms.Remote, RpcPrograms.RemoteVersion, (int)procedure, args, null, cancellationToken);
        return Decode(reply, decode);
    }

    /// <summary>Decodes a reply's payload; a payload that does not decode breaks the connection, which no longer speaks the same protocol.</summary>
    private T Decode<T>(RpcInbound reply, XdrDecoder<T> decode)
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
            _rpc.Break(reason);
            throw reason;
        }
    }
}
