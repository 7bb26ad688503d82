namespace Virt.Remote.Xdr;

/// <summary>A message that does not decode: truncated, over a limit, or malformed. The connection breaks with it.</summary>
internal sealed class XdrException : Exception
{
    public XdrException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
