using Microsoft.Extensions.Logging;
using Virt.Remote.Rpc;

namespace Virt.Remote.Driver;

/// <summary>
/// Replacing a broken link. When the link to the daemon breaks, the façade's <c>Closed</c> subscribers are told,
/// calls in flight fail with the reason (never replayed: the daemon may have done them), and the next call connects
/// again, as virsh reconnects before its next command; when the connection has a lifecycle event subscription, a
/// background loop connects again at once (then after 0.5 s, 1 s, 2 s ... at most 30 s) so that events keep arriving
/// without a call. A new link is opened, authenticated and has its event callback registered before any call uses it.
/// </summary>
internal sealed partial class RemoteDomainDriver
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    private readonly Lock _reconnectGate = new();
    private readonly Lock _linkGate = new();
    private readonly Func<RpcConnection>? _connect;
    private readonly string? _daemonUri;
    private readonly RemoteDriverOptions? _options;
    private bool _disposed;
    private int _backgroundReconnect;

    /// <summary>A driver that opens its link with <paramref name="connect"/> and again after the link breaks.</summary>
    private RemoteDomainDriver(Func<RpcConnection> connect, string? daemonUri, RemoteDriverOptions options, ILogger logger)
    {
        _connect = connect;
        _daemonUri = daemonUri;
        _options = options;
        _logger = logger;
        _rpc = OpenLink();
        Watch(_rpc);
    }

    /// <summary>Connects, authenticates and opens <paramref name="daemonUri"/>; later links are made the same way.</summary>
    public static RemoteDomainDriver Connect(Func<RpcConnection> connect, string? daemonUri, RemoteDriverOptions options, ILogger logger) =>
        new(connect, daemonUri, options, logger);

    /// <summary>The link for a call: the current one, or a new one when it broke and reconnecting is on.</summary>
    private RpcConnection Link()
    {
        var rpc = Rpc;
        if (rpc.IsOpen || _connect is null || _options is not { AutoReconnect: true })
        {
            return rpc;
        }

        return Reconnect(rpc);
    }

    private RpcConnection Reconnect(RpcConnection broken)
    {
        lock (_reconnectGate)
        {
            var current = Rpc;
            if (current != broken || Volatile.Read(ref _disposed))
            {
                return current;
            }

            var fresh = OpenLink();
            lock (_linkGate)
            {
                if (_disposed)
                {
                    fresh.Dispose();
                    return current;
                }

                Volatile.Write(ref _rpc, fresh);
            }

            Watch(fresh);
            RemoteLog.Reconnected(_logger, _daemonUri ?? "(default)");
            return fresh;
        }
    }

    /// <summary>A new link, opened and with the lifecycle callback registered when the connection has subscribers.</summary>
    private RpcConnection OpenLink()
    {
        var rpc = _connect!();
        try
        {
            Open(rpc, _daemonUri, 0);
            if (KeepAliveSupported && _options!.KeepAliveInterval > TimeSpan.Zero)
            {
                rpc.StartKeepAlive(_options.KeepAliveInterval, _options.KeepAliveCount);
            }

            if (Volatile.Read(ref _eventsRequested))
            {
                RegisterLifecycleEvents(rpc);
            }

            return rpc;
        }
        catch
        {
            rpc.Dispose();
            throw;
        }
    }

    private void Watch(RpcConnection rpc) => rpc.Closed += reason => OnLinkClosed(rpc, reason);

    private void OnLinkClosed(RpcConnection rpc, VirtException reason)
    {
        if (rpc.CloseReason == ConnectionCloseReason.Client || Volatile.Read(ref _disposed) || rpc != Rpc)
        {
            return;
        }

        PublishConnectionClosed(rpc.CloseReason, reason);
        if (_connect is not null && _options is { AutoReconnect: true } && Volatile.Read(ref _eventsRequested))
        {
            ReconnectInBackground();
        }
    }

    /// <summary>Keeps trying until a link works or the driver is disposed; one loop at a time.</summary>
    private void ReconnectInBackground()
    {
        if (Interlocked.Exchange(ref _backgroundReconnect, 1) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            var delay = FirstRetry;
            try
            {
                while (!Volatile.Read(ref _disposed) && !Rpc.IsOpen)
                {
                    try
                    {
                        Reconnect(Rpc);
                        return;
                    }
                    catch (VirtException ex)
                    {
                        RemoteLog.ReconnectFailed(_logger, _daemonUri ?? "(default)", delay, ex);
                    }

                    await Task.Delay(delay).ConfigureAwait(false);
                    delay = delay * 2 > LastRetry ? LastRetry : delay * 2;
                }
            }
            finally
            {
                Volatile.Write(ref _backgroundReconnect, 0);
            }

            // A link that broke again while this loop was finishing found the loop still running.
            if (!Volatile.Read(ref _disposed) && !Rpc.IsOpen)
            {
                ReconnectInBackground();
            }
        });
    }

    /// <summary>Marks the driver disposed so that no new link is made, and returns the link to close.</summary>
    private RpcConnection StopReconnecting()
    {
        lock (_linkGate)
        {
            _disposed = true;
            return _rpc;
        }
    }
}
