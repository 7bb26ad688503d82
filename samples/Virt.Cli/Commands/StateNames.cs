namespace Virt.Cli.Commands;

/// <summary>virsh's words for domain states and their reasons.</summary>
internal static class StateNames
{
    /// <summary>The state as virsh prints it.</summary>
    public static string State(DomainState state) => state switch
    {
        DomainState.Running => "running",
        DomainState.Blocked => "idle",
        DomainState.Paused => "paused",
        DomainState.Shutdown => "in shutdown",
        DomainState.Shutoff => "shut off",
        DomainState.Crashed => "crashed",
        DomainState.PMSuspended => "pmsuspended",
        _ => "no state",
    };

    /// <summary>The reason as virsh prints it.</summary>
    public static string Reason(DomainState state, int reason)
    {
        string[] words = state switch
        {
            DomainState.Running => ["unknown", "booted", "migrated", "restored", "from snapshot", "unpaused", "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy", "post-copy failed"],
            DomainState.Paused => ["unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog", "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up", "post-copy", "post-copy failed", "api error"],
            DomainState.Shutdown => ["unknown", "user"],
            DomainState.Shutoff => ["unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot", "daemon"],
            DomainState.Crashed => ["unknown", "panicked"],
            _ => ["unknown"],
        };
        return reason >= 0 && reason < words.Length ? words[reason] : "unknown";
    }
}
