using Virt.Contract;
using Virt.Drivers;

namespace Virt.Testing.Tests.Contract;

/// <summary>
/// test:///default for the driver contract suite (tests/Shared/Contract): libvirt 9.0's test driver reports
/// lifecycle misuse as internal errors naming the domain, treats undefine of a transient domain as a no-op,
/// and does not support deleting snapshot metadata only (src/Virt.Testing/README.md).
/// </summary>
internal sealed class TestDefaultTarget : LibvirtTestDriverTarget
{
    private readonly VirtDriverRegistry _registry = new();

    public TestDefaultTarget() => TestDriver.Register(_registry);

    public override IVirtConnection Open() =>
        VirtConnection.Open(TestDriver.DefaultUri, new VirtConnectionOptions { Registry = _registry });
}
