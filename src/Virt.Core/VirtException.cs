namespace Virt;

/// <summary>
/// The one exception type Virt throws for failures a caller can react to. <see cref="Code"/> says
/// what kind of failure it is; <see cref="Exception.Message"/> is libvirt's wording: a prefix that
/// names the kind, then <see cref="Detail"/>.
/// </summary>
public class VirtException : Exception
{
    /// <summary>Creates an exception whose message is the code's prefix followed by <paramref name="detail"/>.</summary>
    /// <param name="code">What kind of failure this is.</param>
    /// <param name="detail">What failed and, where possible, what to do about it.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    public VirtException(VirtErrorCode code, string detail, Exception? innerException = null)
        : base(VirtErrorMessages.Format(code, detail), innerException)
    {
        Code = code;
        Detail = detail;
    }

    private VirtException(VirtErrorCode code, string detail, string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
        Detail = detail;
    }

    /// <summary>
    /// Creates an exception whose message is <paramref name="message"/> as given, without the code's
    /// prefix, for the few errors libvirt reports that way (for example "unsupported flags (0x2) in
    /// function ..."), so that callers comparing messages with libvirt's see the same text.
    /// </summary>
    /// <param name="code">What kind of failure this is.</param>
    /// <param name="message">The whole message.</param>
    /// <param name="innerException">The failure that caused this one, if any.</param>
    /// <returns>The exception.</returns>
    public static VirtException WithoutPrefix(VirtErrorCode code, string message, Exception? innerException = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new VirtException(code, message, message, innerException);
    }

    /// <summary>What kind of failure this is.</summary>
    public VirtErrorCode Code { get; }

    /// <summary>The message without the code's prefix.</summary>
    public string Detail { get; }
}
