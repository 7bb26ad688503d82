namespace Virt.Qemu.Images;

/// <summary>Everything the qcow2 reader extracts from one file.</summary>
internal sealed record Qcow2Metadata(
    Qcow2Details Details,
    long VirtualSize,
    int ClusterSize,
    string? BackingName,
    string? BackingFormat,
    IReadOnlyList<ImageSnapshotInfo> Snapshots);
