namespace Virt.Remote;

/// <summary>Timeouts of the remote driver.</summary>
public sealed record RemoteDriverOptions
{
    /// <summary>How long connecting to the daemon may take. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call waits for the daemon's reply. Default 5 minutes: a call returns when the daemon's operation is done.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the connection may be idle before the driver pings the daemon (libvirt's keepalive_interval). Default
    /// 5 s. Keepalive runs only when the daemon supports it; <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many pings may go unanswered before the daemon counts as dead (libvirt's keepalive_count). Default 5.</summary>
    public int KeepAliveCount { get; init; } = 5;

    /// <summary>
    /// Whether a connection whose link to the daemon broke connects again: on the next call, and at once in the
    /// background while it has a <see cref="IVirtConnection.DomainLifecycle"/> subscription, which is registered with
    /// the daemon again. Default true. Calls in flight when the link broke fail and are not repeated; events of the
    /// outage are lost. False keeps libvirt's behaviour: every later call fails with the reason the link broke.
    /// </summary>
    public bool AutoReconnect { get; init; } = true;
}
