namespace Virt.Cli.Commands;

/// <summary>virsh's names for domain event kinds, lifecycle event types and details (<c>virsh-domain-event.c</c>).</summary>
internal static class EventNames
{
    /// <summary>The event kinds <c>event --list</c> prints, in libvirt's <c>VIR_DOMAIN_EVENT_ID_*</c> order.</summary>
    public static readonly IReadOnlyList<string> Kinds =
    [
        "lifecycle", "reboot", "rtc-change", "watchdog", "io-error", "graphics", "io-error-reason", "control-error",
        "block-job", "disk-change", "tray-change", "pm-wakeup", "pm-suspend", "balloon-change", "pm-suspend-disk",
        "device-removed", "block-job-2", "tunable", "agent-lifecycle", "device-added", "migration-iteration",
        "job-completed", "device-removal-failed", "metadata-change", "block-threshold", "memory-failure",
        "memory-device-size-change",
    ];

    /// <summary>The one kind the library delivers.</summary>
    public const string Lifecycle = "lifecycle";

    public static string Type(DomainEventType type) => type switch
    {
        DomainEventType.Defined => "Defined",
        DomainEventType.Undefined => "Undefined",
        DomainEventType.Started => "Started",
        DomainEventType.Suspended => "Suspended",
        DomainEventType.Resumed => "Resumed",
        DomainEventType.Stopped => "Stopped",
        DomainEventType.Shutdown => "Shutdown",
        DomainEventType.PMSuspended => "PMSuspended",
        DomainEventType.Crashed => "Crashed",
        _ => "unknown",
    };

    public static string Detail(DomainEventType type, int detail)
    {
        string[] names = type switch
        {
            DomainEventType.Defined => ["Added", "Updated", "Renamed", "Snapshot"],
            DomainEventType.Undefined => ["Removed", "Renamed"],
            DomainEventType.Started => ["Booted", "Migrated", "Restored", "Snapshot", "Event wakeup"],
            DomainEventType.Suspended => ["Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot", "API error", "Post-copy", "Post-copy Error"],
            DomainEventType.Resumed => ["Unpaused", "Migrated", "Snapshot", "Post-copy", "Post-copy Error"],
            DomainEventType.Stopped => ["Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot"],
            DomainEventType.Shutdown => ["Finished", "Finished after guest request", "Finished after host request"],
            DomainEventType.PMSuspended => ["Memory", "Disk"],
            DomainEventType.Crashed => ["Panicked", "Crashloaded"],
            _ => [],
        };
        return detail >= 0 && detail < names.Length ? names[detail] : "unknown";
    }
}
