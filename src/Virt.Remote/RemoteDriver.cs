using Virt.Drivers;

namespace Virt.Remote;

/// <summary>
/// The remote driver: libvirt's RPC protocol to libvirtd (or a modular daemon) on this or another host, in managed
/// code. Register it once, then open any remote URI:
/// <code>RemoteDriver.Register(); using var conn = VirtConnection.Open("qemu+tcp://host/system");</code>
/// </summary>
public static class RemoteDriver
{
    /// <summary>Registers the remote driver for every URI with a transport or a host, and for <c>remote://</c>.</summary>
    /// <param name="registry">The registry; null for <see cref="VirtDriverRegistry.Default"/>.</param>
    /// <param name="options">Timeouts; null for defaults.</param>
    public static void Register(VirtDriverRegistry? registry = null, RemoteDriverOptions? options = null) =>
        (registry ?? VirtDriverRegistry.Default).Register(new RemoteDriverFactory(options));
}
