namespace Virt.Contract;

/// <summary>
/// What a driver gives the contract suite: how to open a connection, and the domain XML it can define and
/// start. Everything else the contracts assert is libvirt's driver-independent behaviour; the few places where
/// libvirt's own drivers legitimately differ are the virtual members below, defaulting to the QEMU driver's.
/// </summary>
public abstract class ContractTarget
{
    /// <summary>Opens a new connection to the driver under test.</summary>
    public abstract IVirtConnection Open();

    /// <summary>
    /// A domain definition the driver can define and start (no disks): named <paramref name="name"/>, with
    /// <paramref name="uuid"/> when given (otherwise the driver assigns one) and <paramref name="memoryKiB"/> of memory.
    /// </summary>
    public abstract string DomainXml(string name, Guid? uuid = null, long memoryKiB = 65536);

    /// <summary>The error a lifecycle call made in the wrong state raises, or null when the driver treats it as a no-op.</summary>
    /// <remarks>
    /// The defaults are libvirt's QEMU driver (qemuDomainCreateWithFlags, virDomainObjCheckActive, qemuDomainUndefineFlags;
    /// suspend of a paused and resume of a running domain succeed there without doing anything).
    /// </remarks>
    public virtual ExpectedError? LifecycleError(LifecycleMisuse misuse, string domainName) => misuse switch
    {
        LifecycleMisuse.StartActive => new(VirtErrorCode.OperationInvalid, "Requested operation is not valid: domain is already running"),
        LifecycleMisuse.SuspendShutOff or LifecycleMisuse.ResumeShutOff or LifecycleMisuse.ShutdownShutOff or LifecycleMisuse.DestroyShutOff =>
            new(VirtErrorCode.OperationInvalid, "Requested operation is not valid: domain is not running"),
        LifecycleMisuse.SuspendPaused or LifecycleMisuse.ResumeRunning => null,
        LifecycleMisuse.UndefineTransient => new(VirtErrorCode.OperationInvalid, "Requested operation is not valid: cannot undefine transient domain"),
        _ => throw new ArgumentOutOfRangeException(nameof(misuse), misuse, null),
    };

    /// <summary>
    /// Whether <see cref="SnapshotDeleteFlags.MetadataOnly"/> is supported (the QEMU driver: yes; libvirt's test
    /// driver refuses the flag as unsupported).
    /// </summary>
    public virtual bool SupportsSnapshotMetadataOnlyDelete => true;

    /// <summary>Null when the driver has snapshots; otherwise why not yet (the tests that need them are then
    /// reported as ignored with this reason, never passed).</summary>
    public virtual string? SnapshotsMissing => null;

    /// <summary>
    /// Whether <see cref="DomainStartFlags.Paused"/> is supported (the QEMU driver: yes; libvirt 9.0's test driver refuses
    /// the flag as unsupported in testDomainCreateWithFlags).
    /// </summary>
    public virtual bool SupportsStartPaused => true;

    /// <summary>
    /// The message of a lookup by name, UUID or id that finds nothing, given what the QEMU driver says after the prefix
    /// (<c>no domain with matching name 'x'</c>). libvirt's test driver reports the bare prefix (testDomainLookupByName
    /// raises VIR_ERR_NO_DOMAIN without detail).
    /// </summary>
    public virtual string LookupMissMessage(string detail) => "Domain not found: " + detail;
}

/// <summary>An error code and the whole message as libvirt (virsh) words it.</summary>
public sealed record ExpectedError(VirtErrorCode Code, string Message);

/// <summary>A lifecycle call made in a state that does not allow it.</summary>
public enum LifecycleMisuse
{
    /// <summary>Start of a running domain.</summary>
    StartActive,

    /// <summary>Suspend of a shut-off domain.</summary>
    SuspendShutOff,

    /// <summary>Suspend of a paused domain.</summary>
    SuspendPaused,

    /// <summary>Resume of a shut-off domain.</summary>
    ResumeShutOff,

    /// <summary>Resume of a running (not paused) domain.</summary>
    ResumeRunning,

    /// <summary>Shutdown of a shut-off domain.</summary>
    ShutdownShutOff,

    /// <summary>Destroy of a shut-off domain.</summary>
    DestroyShutOff,

    /// <summary>Undefine of a running domain that has no persistent definition.</summary>
    UndefineTransient,
}
