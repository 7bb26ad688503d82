namespace Virt;

/// <summary>
/// What went wrong, as a stable code. Values equal libvirt's <c>virErrorNumber</c> where libvirt has
/// the same error, so logs and scripts that know libvirt's numbers keep working. Values only grow.
/// </summary>
public enum VirtErrorCode
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>A bug or an unexpected state inside the library or a driver.</summary>
    InternalError = 1,
    /// <summary>The driver does not support this call (libvirt's <c>VIR_ERR_NO_SUPPORT</c>).</summary>
    NoSupport = 3,
    /// <summary>No driver handles the connection URI, or the connection could not be opened.</summary>
    NoConnect = 5,
    /// <summary>A connection handle was used after it was closed.</summary>
    InvalidConnection = 6,
    /// <summary>A domain handle is no longer valid.</summary>
    InvalidDomain = 7,
    /// <summary>An argument is out of range or malformed.</summary>
    InvalidArg = 8,
    /// <summary>The operation was attempted and failed.</summary>
    OperationFailed = 9,
    /// <summary>An XML document is malformed, hostile or does not describe a valid object.</summary>
    XmlError = 27,
    /// <summary>The operation was refused.</summary>
    OperationDenied = 29,
    /// <summary>A file could not be opened.</summary>
    OpenFailed = 30,
    /// <summary>A file could not be read.</summary>
    ReadFailed = 31,
    /// <summary>A file could not be written.</summary>
    WriteFailed = 34,
    /// <summary>A system call failed.</summary>
    SystemError = 38,
    /// <summary>The RPC protocol with a remote daemon failed, for example "authentication required" (libvirt's <c>VIR_ERR_RPC</c>).</summary>
    Rpc = 39,
    /// <summary>No domain matches the name, UUID or id.</summary>
    NoDomain = 42,
    /// <summary>Authentication with a remote daemon failed or is not possible (libvirt's <c>VIR_ERR_AUTH_FAILED</c>).</summary>
    AuthFailed = 45,
    /// <summary>The operation is not valid in the object's current state.</summary>
    OperationInvalid = 55,
    /// <summary>The configuration asks for something the driver cannot provide.</summary>
    ConfigUnsupported = 67,
    /// <summary>A wait ran out of time.</summary>
    OperationTimeout = 68,
    /// <summary>A domain snapshot handle is no longer valid.</summary>
    InvalidDomainSnapshot = 71,
    /// <summary>No snapshot matches the name, or the domain has no current snapshot.</summary>
    NoDomainSnapshot = 72,
    /// <summary>A flag or argument value is not supported by this driver.</summary>
    ArgumentUnsupported = 74,
    /// <summary>Reverting to the snapshot would lose state and needs the force flag.</summary>
    SnapshotRevertRisky = 77,
    /// <summary>The operation was cancelled by the caller.</summary>
    OperationAborted = 78,
    /// <summary>The operation exists but this driver does not implement it.</summary>
    OperationUnsupported = 84,
    /// <summary>The object is in use by another process or operation.</summary>
    ResourceBusy = 87,
    /// <summary>A device named by the caller does not exist.</summary>
    DeviceMissing = 99,
}
