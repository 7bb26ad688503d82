namespace Virt.Remote;

/// <summary>Timeouts of the remote driver.</summary>
public sealed record RemoteDriverOptions
{
    /// <summary>How long connecting to the daemon may take. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call waits for the daemon's reply. Default 5 minutes: a call returns when the daemon's operation is done.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
