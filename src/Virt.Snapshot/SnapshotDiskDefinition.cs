namespace Virt.Snapshot;

/// <summary>One <c>&lt;disk&gt;</c> of a domainsnapshot: how a domain disk takes part in the snapshot.</summary>
public sealed record SnapshotDiskDefinition
{
    /// <summary>The disk's target name (for example <c>vda</c>) or source path.</summary>
    public required string Name { get; init; }

    /// <summary>Whether and where the disk is snapshotted.</summary>
    public SnapshotLocation Snapshot { get; init; }

    /// <summary>The storage type of <see cref="SourcePath"/>: <c>file</c> (the default) or <c>block</c>.</summary>
    public string SourceType { get; init; } = "file";

    /// <summary>The external snapshot file (or block device), an absolute path; null for none.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The image format of the external file, for example <c>qcow2</c>; null when not given.</summary>
    public string? DriverType { get; init; }
}
