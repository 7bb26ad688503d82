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

    /// <summary>What kind of failure this is.</summary>
    public VirtErrorCode Code { get; }

    /// <summary>The message without the code's prefix.</summary>
    public string Detail { get; }
}
