namespace Virt;

/// <summary>The state of a domain, with libvirt's <c>virDomainState</c> values.</summary>
public enum DomainState
{
    /// <summary>No state.</summary>
    NoState = 0,
    /// <summary>The domain is running.</summary>
    Running = 1,
    /// <summary>The domain is blocked on a resource.</summary>
    Blocked = 2,
    /// <summary>The domain is paused: its vCPUs do not run.</summary>
    Paused = 3,
    /// <summary>The domain is being shut down.</summary>
    Shutdown = 4,
    /// <summary>The domain is off.</summary>
    Shutoff = 5,
    /// <summary>The domain has crashed.</summary>
    Crashed = 6,
    /// <summary>The domain is suspended by guest power management.</summary>
    PMSuspended = 7,
}

/// <summary>Why a domain is running (libvirt's <c>virDomainRunningReason</c>).</summary>
public enum DomainRunningReason
{
    /// <summary>Unknown.</summary>
    Unknown = 0,
    /// <summary>Normal startup from boot.</summary>
    Booted = 1,
    /// <summary>Migrated from another host.</summary>
    Migrated = 2,
    /// <summary>Restored from a state file.</summary>
    Restored = 3,
    /// <summary>Restored from a snapshot.</summary>
    FromSnapshot = 4,
    /// <summary>Returned from the paused state.</summary>
    Unpaused = 5,
}

/// <summary>Why a domain is paused (libvirt's <c>virDomainPausedReason</c>).</summary>
public enum DomainPausedReason
{
    /// <summary>Unknown.</summary>
    Unknown = 0,
    /// <summary>Paused on the user's request.</summary>
    User = 1,
    /// <summary>Paused for offline migration.</summary>
    Migration = 2,
    /// <summary>Paused for a save.</summary>
    Save = 3,
    /// <summary>Paused for an offline core dump.</summary>
    Dump = 4,
    /// <summary>Paused after an I/O error.</summary>
    IOError = 5,
    /// <summary>Paused by the watchdog.</summary>
    Watchdog = 6,
    /// <summary>Restored from a snapshot, paused.</summary>
    FromSnapshot = 7,
    /// <summary>Paused during shutdown.</summary>
    ShuttingDown = 8,
    /// <summary>Paused while a snapshot is created.</summary>
    Snapshot = 9,
    /// <summary>Paused after a guest crash.</summary>
    Crashed = 10,
    /// <summary>Started paused (or not yet resumed after start).</summary>
    StartingUp = 11,
}

/// <summary>Why a domain is off (libvirt's <c>virDomainShutoffReason</c>).</summary>
public enum DomainShutoffReason
{
    /// <summary>Unknown (for example, never started).</summary>
    Unknown = 0,
    /// <summary>The guest shut down.</summary>
    Shutdown = 1,
    /// <summary>The domain was destroyed.</summary>
    Destroyed = 2,
    /// <summary>The domain crashed.</summary>
    Crashed = 3,
    /// <summary>Migrated to another host.</summary>
    Migrated = 4,
    /// <summary>Saved to a file.</summary>
    Saved = 5,
    /// <summary>The domain failed to start.</summary>
    Failed = 6,
    /// <summary>Restored from a snapshot taken while the domain was off.</summary>
    FromSnapshot = 7,
    /// <summary>The process managing it went away while the domain was off.</summary>
    Daemon = 8,
}

/// <summary>A domain's state together with the reason for it.</summary>
/// <param name="State">The state.</param>
/// <param name="Reason">The reason, as the value of the reason enum that belongs to <paramref name="State"/>
/// (<see cref="DomainRunningReason"/>, <see cref="DomainPausedReason"/>, <see cref="DomainShutoffReason"/>).</param>
public readonly record struct DomainStateInfo(DomainState State, int Reason);

/// <summary>Basic facts about a domain, as libvirt's <c>virDomainGetInfo</c> returns them.</summary>
/// <param name="State">The domain's state.</param>
/// <param name="MaxMemoryKiB">The maximum memory, in KiB.</param>
/// <param name="MemoryKiB">The memory currently in use, in KiB.</param>
/// <param name="VirtualCpuCount">The number of virtual CPUs.</param>
/// <param name="CpuTime">The CPU time used so far.</param>
public readonly record struct DomainInfo(DomainState State, ulong MaxMemoryKiB, ulong MemoryKiB, int VirtualCpuCount, TimeSpan CpuTime);

/// <summary>Progress of a long operation.</summary>
/// <param name="Operation">What is in progress, for example <c>snapshot-save</c>.</param>
/// <param name="Current">Work done so far, in units of the operation's choosing.</param>
/// <param name="Total">Total work, in the same units; 0 when unknown.</param>
public readonly record struct VirtProgress(string Operation, long Current, long Total);
