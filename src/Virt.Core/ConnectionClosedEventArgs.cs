namespace Virt;

/// <summary>
/// The connection to a peer (a remote daemon) closed: raised by <see cref="IVirtConnection.Closed"/>, as libvirt calls
/// the callback given to <c>virConnectRegisterCloseCallback</c>.
/// </summary>
public sealed class ConnectionClosedEventArgs : EventArgs
{
    /// <summary>Creates the event's arguments (callers of a mocked connection raise the event with these).</summary>
    /// <param name="reason">Why it closed.</param>
    /// <param name="error">The error that calls in flight failed with.</param>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    public ConnectionClosedEventArgs(ConnectionCloseReason reason, VirtException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Reason = reason;
        Error = error;
    }

    /// <summary>Why it closed.</summary>
    public ConnectionCloseReason Reason { get; }

    /// <summary>The error that calls in flight failed with, for example libvirt's "End of file while reading data".</summary>
    public VirtException Error { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Reason}: {Error.Message}";
}
