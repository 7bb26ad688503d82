namespace Virt.Qemu.Qmp;

/// <summary>
/// QEMU answered a monitor command with an error. <see cref="VirtException.Code"/> is
/// <see cref="VirtErrorCode.OperationFailed"/>; the message names the command, QEMU's error class
/// and QEMU's own description (its first 4096 characters and its size when longer; the whole text is
/// <see cref="Description"/>).
/// </summary>
public sealed class QmpCommandException : VirtException
{
    internal QmpCommandException(string command, string errorClass, string description)
        : base(VirtErrorCode.OperationFailed, QmpMessages.CommandFailed(command, errorClass, description))
    {
        Command = command;
        ErrorClass = errorClass;
        Description = description;
    }

    /// <summary>The QMP command that failed, for example <c>blockdev-add</c>.</summary>
    public string Command { get; }

    /// <summary>QEMU's error class, for example <c>GenericError</c> or <c>CommandNotFound</c>.</summary>
    public string ErrorClass { get; }

    /// <summary>QEMU's description of the error, verbatim.</summary>
    public string Description { get; }
}
