namespace Virt.Remote;

/// <summary>
/// The keys under which a <see cref="VirtException"/> raised from a daemon's error keeps the rest of libvirt's error
/// in <see cref="Exception.Data"/>. The exception itself is a plain <see cref="VirtException"/> with libvirt's code and
/// the daemon's message exactly, so code written against a local driver catches it the same way.
/// </summary>
public static class RemoteErrorData
{
    /// <summary>libvirt's <c>virErrorDomain</c> number (an <see cref="int"/>): which part of libvirt raised the error, for example 10 for the QEMU driver or 12 for the test driver.</summary>
    public const string ErrorDomain = "Virt.Remote.ErrorDomain";

    /// <summary>libvirt's <c>virErrorLevel</c> (an <see cref="int"/>): 1 warning, 2 error.</summary>
    public const string Level = "Virt.Remote.Level";

    /// <summary>The libvirt error domain of an exception a daemon raised.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The <c>virErrorDomain</c> number, or null when the exception did not come from a daemon.</returns>
    public static int? GetErrorDomain(VirtException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Data[ErrorDomain] as int?;
    }
}
