using Virt.Contract;
using Virt.Drivers;
using Virt.Remote.Tests.Daemon;

namespace Virt.Remote.Tests.Contract;

/// <summary>
/// test:///default served by the throwaway libvirtd, reached over TCP, for the driver contract suite
/// (tests/Shared/Contract): libvirt 9.0's own test driver, so its lifecycle errors are the test driver's.
/// </summary>
internal sealed class RemoteTestTarget : LibvirtTestDriverTarget
{
    private readonly VirtDriverRegistry _registry = new();

    public RemoteTestTarget() => RemoteDriver.Register(_registry);

    public override IVirtConnection Open() =>
        VirtConnection.Open(ThrowawayLibvirtd.Shared.TcpUri, new VirtConnectionOptions { Registry = _registry });

    public override bool SupportsStartPaused => false;

    public override string LookupMissMessage(string detail) => "Domain not found";
}
