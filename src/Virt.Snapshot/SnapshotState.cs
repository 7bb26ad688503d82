namespace Virt.Snapshot;

/// <summary>The domain's state when a snapshot was taken (libvirt's <c>virDomainSnapshotState</c>).</summary>
public enum SnapshotState
{
    /// <summary>No state recorded.</summary>
    NoState = 0,
    /// <summary>The domain was running.</summary>
    Running = 1,
    /// <summary>The domain was blocked on a resource.</summary>
    Blocked = 2,
    /// <summary>The domain was paused.</summary>
    Paused = 3,
    /// <summary>The domain was shutting down.</summary>
    Shutdown = 4,
    /// <summary>The domain was off.</summary>
    Shutoff = 5,
    /// <summary>The domain had crashed.</summary>
    Crashed = 6,
    /// <summary>The domain was suspended by guest power management.</summary>
    PMSuspended = 7,
    /// <summary>A disk-only snapshot of a running domain (no memory).</summary>
    DiskSnapshot = 8,
}

/// <summary>Where a snapshot keeps memory or a disk's contents (libvirt's <c>virDomainSnapshotLocation</c>).</summary>
public enum SnapshotLocation
{
    /// <summary>Not given: the driver picks.</summary>
    Default = 0,
    /// <summary>Not part of the snapshot.</summary>
    No = 1,
    /// <summary>Inside the disk image (qcow2 internal snapshot).</summary>
    Internal = 2,
    /// <summary>In a separate file.</summary>
    External = 3,
    /// <summary>Taken by the user outside the library (disks only).</summary>
    Manual = 4,
}
