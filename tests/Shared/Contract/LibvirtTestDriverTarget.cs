namespace Virt.Contract;

/// <summary>
/// Targets that serve libvirt 9.0's test driver semantics (test:///default in-process, or libvirtd's own test driver
/// over the remote driver): domains of type 'test', lifecycle misuse reported as internal errors naming the domain,
/// undefine of a transient domain a no-op, and no metadata-only snapshot delete.
/// </summary>
public abstract class LibvirtTestDriverTarget : ContractTarget
{
    /// <inheritdoc/>
    public override string DomainXml(string name, Guid? uuid = null, long memoryKiB = 65536) => $"""
        <domain type='test'>
          <name>{name}</name>
          {(uuid is { } u ? $"<uuid>{u:D}</uuid>" : string.Empty)}
          <memory unit='KiB'>{memoryKiB}</memory>
          <os><type>hvm</type></os>
        </domain>
        """;

    /// <inheritdoc/>
    public override ExpectedError? LifecycleError(LifecycleMisuse misuse, string domainName) => misuse switch
    {
        LifecycleMisuse.StartActive => new(VirtErrorCode.InternalError, $"internal error: Domain '{domainName}' is already running"),
        LifecycleMisuse.SuspendShutOff or LifecycleMisuse.SuspendPaused or LifecycleMisuse.ShutdownShutOff =>
            new(VirtErrorCode.InternalError, $"internal error: domain '{domainName}' not running"),
        LifecycleMisuse.ResumeShutOff or LifecycleMisuse.ResumeRunning => new(VirtErrorCode.InternalError, $"internal error: domain '{domainName}' not paused"),
        LifecycleMisuse.UndefineTransient => null,
        _ => base.LifecycleError(misuse, domainName),
    };

    /// <inheritdoc/>
    public override bool SupportsSnapshotMetadataOnlyDelete => false;
}
