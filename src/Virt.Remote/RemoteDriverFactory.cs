using Microsoft.Extensions.Logging;
using Virt.Drivers;
using Virt.Remote.Driver;
using Virt.Remote.Rpc;
using Virt.Remote.Transport;

namespace Virt.Remote;

/// <summary>
/// Opens connections to libvirt daemons over libvirt's RPC protocol, for every URI with a transport or a host
/// (<c>test+tcp://127.0.0.1/default</c>, <c>qemu+unix:///system</c>) and for <c>remote://</c>; the registry routes those
/// here and never to an in-process driver.
/// </summary>
public sealed class RemoteDriverFactory : VirtDriverFactory
{
    private readonly RemoteDriverOptions _options;

    /// <summary>Creates a factory.</summary>
    /// <param name="options">Timeouts; null for defaults.</param>
    public RemoteDriverFactory(RemoteDriverOptions? options = null) => _options = options ?? new RemoteDriverOptions();

    /// <inheritdoc/>
    public override string Scheme => VirtDriverRegistry.RemoteScheme;

    /// <inheritdoc/>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.SystemError"/> when the daemon cannot be reached;
    /// <see cref="VirtErrorCode.NoConnect"/> for a transport not supported yet; <see cref="VirtErrorCode.AuthFailed"/> when the
    /// daemon asks for an authentication this driver lacks; the daemon's own error when it refuses to open the URI.</exception>
    public override VirtDriver Open(VirtUri uri, VirtConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(options);
        var target = RemoteTarget.FromUri(uri);
        var logger = options.LoggerFactory.CreateLogger(RemoteLog.Category);
        var driver = RemoteDomainDriver.Connect(
            () => new RpcConnection(TransportConnector.Connect(target, uri.Path, _options.ConnectTimeout),
                new RpcConnectionOptions { CallTimeout = _options.CallTimeout }, logger),
            target.DaemonUri, _options, logger);
        RemoteLog.Connected(logger, uri.Original, target.DaemonUri ?? "(default)");
        return driver;
    }
}
