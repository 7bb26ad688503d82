namespace Virt.Qemu.Images;

/// <summary>
/// What <see cref="QemuImage.GetInfo(string, string?)"/> reads from one image file, named after the
/// fields of <c>qemu-img info --output=json</c>.
/// </summary>
public sealed class ImageInfo
{
    internal ImageInfo()
    {
    }

    /// <summary>The file name as given (for a backing file: the name QEMU combines from the overlay's directory and the recorded name).</summary>
    public string Filename { get; internal init; } = "";

    /// <summary>The image format: <c>qcow2</c> or <c>raw</c>.</summary>
    public string Format { get; internal init; } = "";

    /// <summary>The disk size the guest sees, in bytes.</summary>
    public long VirtualSize { get; internal init; }

    /// <summary>The bytes the file occupies on the host (allocated blocks), or null when the platform cannot tell.</summary>
    public long? ActualSize { get; internal init; }

    /// <summary>The qcow2 cluster size in bytes; null for raw images.</summary>
    public int? ClusterSize { get; internal init; }

    /// <summary>True when the qcow2 dirty bit is set (the image was not closed cleanly with lazy refcounts).</summary>
    public bool DirtyFlag { get; internal init; }

    /// <summary>The backing file name exactly as recorded in the image, or null.</summary>
    public string? BackingFilename { get; internal init; }

    /// <summary>The backing file name resolved against this image's directory the way QEMU does, or null.</summary>
    public string? FullBackingFilename { get; internal init; }

    /// <summary>The backing file's format as recorded in the image, or null when none is recorded.</summary>
    public string? BackingFormat { get; internal init; }

    /// <summary>The internal snapshots (empty for raw images).</summary>
    public IReadOnlyList<ImageSnapshotInfo> Snapshots { get; internal init; } = [];

    /// <summary>The qcow2 header details, or null for raw images.</summary>
    public Qcow2Details? Qcow2 { get; internal init; }
}
