namespace Virt.Qemu.Qmp;

/// <summary>
/// The peer broke QMP's rules (framing, encoding or message shape). Internal: the connection turns
/// it into a broken connection, and callers see <see cref="QmpConnectionException"/>.
/// </summary>
internal sealed class QmpProtocolException : Exception
{
    public QmpProtocolException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
