namespace Virt.Remote.Rpc;

/// <summary>Timeouts of one RPC connection.</summary>
internal sealed record RpcConnectionOptions
{
    /// <summary>How long a call waits for its reply (and for its message to be written) unless the call names its own.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
