namespace Virt;

/// <summary>What happened to a domain in a lifecycle event (libvirt's <c>virDomainEventType</c>, same values).
/// The meaning of <see cref="DomainLifecycleEventArgs.Detail"/> depends on it: see each member.</summary>
public enum DomainEventType
{
    /// <summary>The domain was defined or its definition changed; detail: <see cref="DomainEventDefinedDetail"/>.</summary>
    Defined = 0,
    /// <summary>The domain's persistent definition was removed; detail: <see cref="DomainEventUndefinedDetail"/>.</summary>
    Undefined = 1,
    /// <summary>The domain started; detail: <see cref="DomainEventStartedDetail"/>.</summary>
    Started = 2,
    /// <summary>The domain's vCPUs were paused; detail: <see cref="DomainEventSuspendedDetail"/>.</summary>
    Suspended = 3,
    /// <summary>The domain's vCPUs run again; detail: <see cref="DomainEventResumedDetail"/>.</summary>
    Resumed = 4,
    /// <summary>The domain stopped; detail: <see cref="DomainEventStoppedDetail"/>.</summary>
    Stopped = 5,
    /// <summary>The guest finished shutting down (the domain may still exist until it stops); detail: <see cref="DomainEventShutdownDetail"/>.</summary>
    Shutdown = 6,
    /// <summary>The guest suspended itself through power management; detail: <see cref="DomainEventPMSuspendedDetail"/>.</summary>
    PMSuspended = 7,
    /// <summary>The guest crashed; detail: <see cref="DomainEventCrashedDetail"/>.</summary>
    Crashed = 8,
}

/// <summary>Why a domain was defined (libvirt's <c>virDomainEventDefinedDetailType</c>).</summary>
public enum DomainEventDefinedDetail
{
    /// <summary>A new definition.</summary>
    Added = 0,
    /// <summary>An existing definition was replaced.</summary>
    Updated = 1,
    /// <summary>The domain was renamed.</summary>
    Renamed = 2,
    /// <summary>The definition was restored from a snapshot.</summary>
    FromSnapshot = 3,
}

/// <summary>Why a domain was undefined (libvirt's <c>virDomainEventUndefinedDetailType</c>).</summary>
public enum DomainEventUndefinedDetail
{
    /// <summary>The definition was removed.</summary>
    Removed = 0,
    /// <summary>The domain was renamed.</summary>
    Renamed = 1,
}

/// <summary>Why a domain started (libvirt's <c>virDomainEventStartedDetailType</c>).</summary>
public enum DomainEventStartedDetail
{
    /// <summary>A normal start.</summary>
    Booted = 0,
    /// <summary>An incoming migration.</summary>
    Migrated = 1,
    /// <summary>Restored from a state file.</summary>
    Restored = 2,
    /// <summary>Restored from a snapshot.</summary>
    FromSnapshot = 3,
    /// <summary>Started by a wakeup event.</summary>
    Wakeup = 4,
}

/// <summary>Why a domain was suspended (libvirt's <c>virDomainEventSuspendedDetailType</c>).</summary>
public enum DomainEventSuspendedDetail
{
    /// <summary>Paused by the administrator (or started paused).</summary>
    Paused = 0,
    /// <summary>Paused for an offline migration.</summary>
    Migrated = 1,
    /// <summary>Paused on a disk I/O error.</summary>
    IOError = 2,
    /// <summary>Paused by a watchdog.</summary>
    Watchdog = 3,
    /// <summary>Restored from a paused state file.</summary>
    Restored = 4,
    /// <summary>Restored from a paused snapshot.</summary>
    FromSnapshot = 5,
    /// <summary>Paused after a failed API call.</summary>
    ApiError = 6,
    /// <summary>Paused for post-copy migration.</summary>
    Postcopy = 7,
    /// <summary>Paused after a failed post-copy migration.</summary>
    PostcopyFailed = 8,
}

/// <summary>Why a domain resumed (libvirt's <c>virDomainEventResumedDetailType</c>).</summary>
public enum DomainEventResumedDetail
{
    /// <summary>Resumed by the administrator.</summary>
    Unpaused = 0,
    /// <summary>Resumed when a migration completed.</summary>
    Migrated = 1,
    /// <summary>Resumed from a snapshot.</summary>
    FromSnapshot = 2,
    /// <summary>Resumed while a post-copy migration still runs.</summary>
    Postcopy = 3,
    /// <summary>Running after a failed post-copy migration.</summary>
    PostcopyFailed = 4,
}

/// <summary>Why a domain stopped (libvirt's <c>virDomainEventStoppedDetailType</c>).</summary>
public enum DomainEventStoppedDetail
{
    /// <summary>The guest shut down.</summary>
    Shutdown = 0,
    /// <summary>Forced off from the host (destroy).</summary>
    Destroyed = 1,
    /// <summary>The guest crashed.</summary>
    Crashed = 2,
    /// <summary>Migrated to another host.</summary>
    Migrated = 3,
    /// <summary>Saved to a state file.</summary>
    Saved = 4,
    /// <summary>The emulator or its management failed.</summary>
    Failed = 5,
    /// <summary>Stopped by loading an offline snapshot (or by a snapshot with halt).</summary>
    FromSnapshot = 6,
}

/// <summary>How a guest finished shutting down (libvirt's <c>virDomainEventShutdownDetailType</c>).</summary>
public enum DomainEventShutdownDetail
{
    /// <summary>The guest finished its shutdown sequence.</summary>
    Finished = 0,
    /// <summary>Finished after a request from the guest itself.</summary>
    Guest = 1,
    /// <summary>Finished after a request from the host (for example a signal to the emulator).</summary>
    Host = 2,
}

/// <summary>How a guest suspended itself (libvirt's <c>virDomainEventPMSuspendedDetailType</c>).</summary>
public enum DomainEventPMSuspendedDetail
{
    /// <summary>Suspended to memory.</summary>
    Memory = 0,
    /// <summary>Suspended to disk.</summary>
    Disk = 1,
}

/// <summary>How a guest crashed (libvirt's <c>virDomainEventCrashedDetailType</c>).</summary>
public enum DomainEventCrashedDetail
{
    /// <summary>The guest panicked.</summary>
    Panicked = 0,
    /// <summary>The guest loaded a crash kernel.</summary>
    Crashloaded = 1,
}
