namespace Virt;

/// <summary>The message prefixes libvirt uses for each error code, kept in one place.</summary>
internal static class VirtErrorMessages
{
    public static string Format(VirtErrorCode code, string detail)
    {
        string? prefix = Prefix(code);
        if (prefix is null)
        {
            return detail;
        }

        return string.IsNullOrEmpty(detail) ? prefix : prefix + ": " + detail;
    }

    private static string? Prefix(VirtErrorCode code) => code switch
    {
        VirtErrorCode.InternalError => "internal error",
        VirtErrorCode.NoSupport => "this function is not supported by the connection driver",
        VirtErrorCode.NoConnect => "no connection driver available",
        VirtErrorCode.InvalidConnection => "invalid connection pointer in",
        VirtErrorCode.InvalidDomain => "invalid domain pointer in",
        VirtErrorCode.InvalidArg => "invalid argument",
        VirtErrorCode.OperationFailed => "operation failed",
        VirtErrorCode.XmlError => "XML error",
        VirtErrorCode.OperationDenied => "operation forbidden",
        VirtErrorCode.OpenFailed => "failed to open file",
        VirtErrorCode.ReadFailed => "failed to read file",
        VirtErrorCode.WriteFailed => "failed to write file",
        VirtErrorCode.SystemError => null,
        VirtErrorCode.NoDomain => "Domain not found",
        VirtErrorCode.AuthFailed => "authentication failed",
        VirtErrorCode.OperationInvalid => "Requested operation is not valid",
        VirtErrorCode.ConfigUnsupported => "unsupported configuration",
        VirtErrorCode.OperationTimeout => "Timed out during operation",
        VirtErrorCode.InvalidDomainSnapshot => "Invalid snapshot",
        VirtErrorCode.NoDomainSnapshot => "Domain snapshot not found",
        VirtErrorCode.ArgumentUnsupported => "argument unsupported",
        VirtErrorCode.SnapshotRevertRisky => "revert requires force",
        VirtErrorCode.OperationAborted => "operation aborted",
        VirtErrorCode.OperationUnsupported => "Operation not supported",
        VirtErrorCode.ResourceBusy => "resource busy",
        VirtErrorCode.DeviceMissing => "device not found",
        _ => null,
    };
}
