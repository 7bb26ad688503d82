namespace Virt.Qemu.Images;

/// <summary>One entry of a qcow2 image's internal snapshot table.</summary>
public sealed class ImageSnapshotInfo
{
    internal ImageSnapshotInfo()
    {
    }

    /// <summary>The snapshot's unique id string (QEMU numbers them "1", "2", ...).</summary>
    public string Id { get; internal init; } = "";

    /// <summary>The snapshot's name (tag).</summary>
    public string Name { get; internal init; } = "";

    /// <summary>Bytes of saved VM state; 0 for a disk-only snapshot. Uses the 64-bit extra field when present.</summary>
    public long VmStateSize { get; internal init; }

    /// <summary>The guest disk size when the snapshot was taken, or null when the entry does not record it (old images).</summary>
    public long? DiskSize { get; internal init; }

    /// <summary>Creation time, seconds since the Unix epoch.</summary>
    public long DateSeconds { get; internal init; }

    /// <summary>Creation time, nanoseconds part.</summary>
    public long DateNanoseconds { get; internal init; }

    /// <summary>The guest's virtual clock when the snapshot was taken, in nanoseconds.</summary>
    public long VmClockNanoseconds { get; internal init; }

    /// <summary>The guest instruction count (record/replay), or null when not recorded; read as a signed number like QEMU (a damaged entry can make it negative).</summary>
    public long? Icount { get; internal init; }

    /// <summary>Offset of the snapshot's L1 table in the image.</summary>
    public long L1TableOffset { get; internal init; }

    /// <summary>Entries in the snapshot's L1 table.</summary>
    public int L1Size { get; internal init; }

    /// <summary>Size of the entry's extra data area in bytes.</summary>
    public int ExtraDataSize { get; internal init; }
}
