namespace Virt.Qemu.Qmp;

/// <summary>
/// The connection to QEMU's monitor is broken: QEMU exited, the socket failed, or QEMU broke the
/// protocol. Every call pending at that moment, and every later call on the same connection, fails
/// with this error and the same <see cref="Reason"/>. <see cref="VirtException.Code"/> is
/// <see cref="VirtErrorCode.OperationFailed"/>.
/// </summary>
public sealed class QmpConnectionException : VirtException
{
    internal QmpConnectionException(string reason, Exception? innerException = null)
        : base(VirtErrorCode.OperationFailed, QmpMessages.Broken(reason), innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the connection broke, for example that QEMU closed it.</summary>
    public string Reason { get; }
}
