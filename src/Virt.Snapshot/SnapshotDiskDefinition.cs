namespace Virt.Snapshot;

/// <summary>One <c>&lt;disk&gt;</c> of a domainsnapshot (in <c>&lt;disks&gt;</c> or <c>&lt;revertDisks&gt;</c>): how a
/// domain disk takes part in the snapshot.</summary>
public sealed record SnapshotDiskDefinition
{
    /// <summary>The disk's target name (for example <c>vda</c>) or source path.</summary>
    public required string Name { get; init; }

    /// <summary>Whether and where the disk is snapshotted.</summary>
    public SnapshotLocation Snapshot { get; init; }

    /// <summary>The storage type of <see cref="SourcePath"/> (libvirt's disk <c>type</c>): <c>file</c> or
    /// <c>block</c>; null when not stated (read as <c>file</c>). Written only when the disk has a source or a
    /// driver type, as libvirt does; libvirt always states it then, and so does the disk alignment of a new or
    /// redefined snapshot.</summary>
    public string? SourceType { get; init; }

    /// <summary>The external snapshot file (or block device), an absolute path; null for none.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The image format of the external file, for example <c>qcow2</c>; null when not given.</summary>
    public string? DriverType { get; init; }

    /// <summary>Whether a delete of the snapshot that merged into this disk's file did not complete (libvirt's
    /// <c>&lt;snapshotDeleteInProgress/&gt;</c>, read only from XML of an existing snapshot).</summary>
    public bool DeleteInProgress { get; init; }
}
