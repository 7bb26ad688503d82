namespace Virt;

/// <summary>Options for creating a snapshot (libvirt's <c>virDomainSnapshotCreateFlags</c>).</summary>
[Flags]
public enum SnapshotCreateFlags
{
    /// <summary>Take a new snapshot.</summary>
    None = 0,
    /// <summary>Restore or change metadata of a snapshot that already exists on disk.</summary>
    Redefine = 1,
    /// <summary>With <see cref="Redefine"/>, make the snapshot current.</summary>
    Current = 2,
    /// <summary>Take the snapshot but keep no metadata for it.</summary>
    NoMetadata = 4,
    /// <summary>Stop the domain once the snapshot is taken.</summary>
    Halt = 8,
    /// <summary>Snapshot the disks only, not the memory.</summary>
    DiskOnly = 16,
    /// <summary>Reuse existing external files instead of creating them.</summary>
    ReuseExternal = 32,
    /// <summary>Quiesce guest file systems first (needs a guest agent).</summary>
    Quiesce = 64,
    /// <summary>All disks are snapshotted or none is.</summary>
    Atomic = 128,
    /// <summary>Take the snapshot while the guest keeps running.</summary>
    Live = 256,
    /// <summary>Validate the XML strictly.</summary>
    Validate = 512,
}

/// <summary>Options for reverting to a snapshot (libvirt's <c>virDomainSnapshotRevertFlags</c>).</summary>
[Flags]
public enum SnapshotRevertFlags
{
    /// <summary>Leave the domain in the snapshot's own state.</summary>
    None = 0,
    /// <summary>Run the domain after the revert.</summary>
    Running = 1,
    /// <summary>Leave the domain paused after the revert.</summary>
    Paused = 2,
    /// <summary>Allow risky reverts (for example, one that must restart a running domain).</summary>
    Force = 4,
    /// <summary>Re-initialise the UEFI NVRAM from its template.</summary>
    ResetNvram = 8,
}

/// <summary>What to delete with a snapshot (libvirt's <c>virDomainSnapshotDeleteFlags</c>).</summary>
[Flags]
public enum SnapshotDeleteFlags
{
    /// <summary>Delete the snapshot; its children move to its parent.</summary>
    None = 0,
    /// <summary>Delete the snapshot and all its descendants.</summary>
    Children = 1,
    /// <summary>Delete only metadata; leave disk contents alone.</summary>
    MetadataOnly = 2,
    /// <summary>Delete the descendants but keep the snapshot.</summary>
    ChildrenOnly = 4,
}

/// <summary>Which snapshots to list (libvirt's <c>virDomainSnapshotListFlags</c>). Flags within one
/// group (leaves/no-leaves, metadata/no-metadata, active/inactive/disk-only, internal/external) are ORed;
/// groups are ANDed; a group with no flag set does not filter.</summary>
[Flags]
public enum SnapshotListFlags
{
    /// <summary>All snapshots (or, when listing children, direct children).</summary>
    None = 0,
    /// <summary>When listing all snapshots: only roots.</summary>
    Roots = 1,
    /// <summary>When listing children: all descendants, not only direct children.</summary>
    Descendants = 1,
    /// <summary>Only snapshots that have metadata.</summary>
    Metadata = 2,
    /// <summary>Only snapshots without children.</summary>
    Leaves = 4,
    /// <summary>Only snapshots with children.</summary>
    NoLeaves = 8,
    /// <summary>Only snapshots without metadata.</summary>
    NoMetadata = 16,
    /// <summary>Only snapshots taken while the domain was off.</summary>
    Inactive = 32,
    /// <summary>Only snapshots of a running domain that include its memory.</summary>
    Active = 64,
    /// <summary>Only disk-only snapshots of a running domain.</summary>
    DiskOnly = 128,
    /// <summary>Only snapshots stored inside the disk images.</summary>
    Internal = 256,
    /// <summary>Only snapshots that use external files.</summary>
    External = 512,
    /// <summary>Order the result so that parents come before their children.</summary>
    Topological = 1024,
}

/// <summary>Options for describing a snapshot as XML (libvirt's <c>virDomainSnapshotXMLFlags</c>).</summary>
[Flags]
public enum SnapshotXmlFlags
{
    /// <summary>Normal output.</summary>
    None = 0,
    /// <summary>Include security-sensitive data.</summary>
    Secure = 1,
}
