using Virt.Contract;
using Virt.Drivers;

namespace Virt.Testing.Tests.Contract;

/// <summary>
/// test:///default for the driver contract suite (tests/Shared/Contract): libvirt 9.0's test driver reports
/// lifecycle misuse as internal errors naming the domain, treats undefine of a transient domain as a no-op,
/// and does not support deleting snapshot metadata only (src/Virt.Testing/README.md).
/// </summary>
internal sealed class TestDefaultTarget : ContractTarget
{
    private readonly VirtDriverRegistry _registry = new();

    public TestDefaultTarget() => TestDriver.Register(_registry);

    public override IVirtConnection Open() =>
        VirtConnection.Open(TestDriver.DefaultUri, new VirtConnectionOptions { Registry = _registry });

    public override string DomainXml(string name, Guid? uuid = null, long memoryKiB = 65536) => $"""
        <domain type='test'>
          <name>{name}</name>
          {(uuid is { } u ? $"<uuid>{u:D}</uuid>" : string.Empty)}
          <memory unit='KiB'>{memoryKiB}</memory>
          <os><type>hvm</type></os>
        </domain>
        """;

    public override ExpectedError? LifecycleError(LifecycleMisuse misuse, string domainName) => misuse switch
    {
        LifecycleMisuse.StartActive => new(VirtErrorCode.InternalError, $"internal error: Domain '{domainName}' is already running"),
        LifecycleMisuse.SuspendShutOff or LifecycleMisuse.SuspendPaused or LifecycleMisuse.ShutdownShutOff =>
            new(VirtErrorCode.InternalError, $"internal error: domain '{domainName}' not running"),
        LifecycleMisuse.ResumeShutOff or LifecycleMisuse.ResumeRunning => new(VirtErrorCode.InternalError, $"internal error: domain '{domainName}' not paused"),
        LifecycleMisuse.UndefineTransient => null,
        _ => base.LifecycleError(misuse, domainName),
    };

    public override bool SupportsSnapshotMetadataOnlyDelete => false;
}
