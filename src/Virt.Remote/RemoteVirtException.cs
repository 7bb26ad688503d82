namespace Virt.Remote;

/// <summary>
/// An error the remote daemon reported: libvirt's code, its message exactly as the daemon worded it, and
/// libvirt's error domain (<c>virErrorDomain</c>: which part of libvirt raised it).
/// </summary>
public sealed class RemoteVirtException : VirtException
{
    private readonly string _message;

    private RemoteVirtException(VirtErrorCode code, string detail, string message, int errorDomain, int level)
        : base(code, detail)
    {
        _message = message;
        ErrorDomain = errorDomain;
        Level = level;
    }

    /// <summary>The message exactly as the daemon sent it.</summary>
    public override string Message => _message;

    /// <summary>libvirt's <c>virErrorDomain</c> number, for example 10 for the QEMU driver or 12 for the test driver.</summary>
    public int ErrorDomain { get; }

    /// <summary>libvirt's <c>virErrorLevel</c>: 1 warning, 2 error.</summary>
    public int Level { get; }

    internal static RemoteVirtException FromRemote(VirtErrorCode code, int errorDomain, int level, string message)
    {
        // The daemon sends the whole message, prefix included; Detail is the part after the code's prefix.
        string prefix = new VirtException(code, string.Empty).Message;
        string detail = prefix.Length == 0 ? message
            : message == prefix ? string.Empty
            : message.StartsWith(prefix + ": ", StringComparison.Ordinal) ? message[(prefix.Length + 2)..]
            : message;
        return new RemoteVirtException(code, detail, message, errorDomain, level);
    }
}
