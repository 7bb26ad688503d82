using Virt.Contract;
using Virt.Drivers;
using Virt.Remote.Tests.Daemon;

namespace Virt.Remote.Tests.Contract;

/// <summary>
/// test:///default served by the throwaway libvirtd, reached over TCP, for the driver contract suite
/// (tests/Shared/Contract): libvirt 9.0's own test driver, so its lifecycle errors are the test driver's.
/// </summary>
internal sealed class RemoteTestTarget : ContractTarget
{
    private readonly VirtDriverRegistry _registry = new();

    public RemoteTestTarget() => RemoteDriver.Register(_registry);

    public override IVirtConnection Open() =>
        VirtConnection.Open(ThrowawayLibvirtd.Shared.TcpUri, new VirtConnectionOptions { Registry = _registry });

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

    public override bool SupportsStartPaused => false;

    public override string LookupMissMessage(string detail) => "Domain not found";
}
