namespace Virt.Qemu.Images;

/// <summary>Opens one image file read-only and describes it (no process is spawned).</summary>
internal static class ImageReader
{
    /// <summary>Reads <paramref name="path"/> (a regular file or block device) as <paramref name="format"/>, or probes the format when it is null.</summary>
    public static ImageInfo Read(string path, string? format)
    {
        using ImageHostFile file = ImageHostFile.OpenRead(path);
        ImageInfo info = Read(file.Stream, path, format, file.Length);
        return WithActualSize(info, file.AllocatedBytes);
    }

    /// <summary>Reads an image from an open stream (no actual size); <paramref name="length"/> overrides the stream's, which is 0 for a block device.</summary>
    public static ImageInfo Read(Stream stream, string path, string? format, long? length = null)
    {
        var file = new ImageFileReader(stream, path, length ?? stream.Length);
        format ??= ImageFormatProbe.Probe(file.ReadPrefix(64));
        switch (format)
        {
            case "raw":
                return new ImageInfo { Filename = path, Format = "raw", VirtualSize = RoundUpToSector(file.Length) };
            case "qcow2":
                return FromQcow2(path, Qcow2Reader.Read(file));
            default:
                throw ImageErrors.Unsupported(path, $"image format '{format}' is not supported (only qcow2 and raw are)");
        }
    }

    /// <summary>QEMU sees a raw file in whole 512-byte sectors: a 100-byte file has a virtual size of 512.</summary>
    private static long RoundUpToSector(long length)
    {
        const long Sector = 512;
        long partial = length % Sector;
        return partial == 0 || length > long.MaxValue - Sector ? length : length - partial + Sector;
    }

    private static ImageInfo FromQcow2(string path, Qcow2Metadata m) => new()
    {
        Filename = path,
        Format = "qcow2",
        VirtualSize = m.VirtualSize,
        ClusterSize = m.ClusterSize,
        DirtyFlag = m.Details.Dirty,
        BackingFilename = m.BackingName,
        FullBackingFilename = m.BackingName is null || BackingPath.HasProtocol(m.BackingName) && !m.BackingName.StartsWith('/')
            ? m.BackingName
            : BackingPath.Combine(path, m.BackingName),
        BackingFormat = m.BackingFormat,
        Snapshots = m.Snapshots,
        Qcow2 = m.Details,
    };

    private static ImageInfo WithActualSize(ImageInfo i, long? actual) => new()
    {
        Filename = i.Filename,
        Format = i.Format,
        VirtualSize = i.VirtualSize,
        ActualSize = actual,
        ClusterSize = i.ClusterSize,
        DirtyFlag = i.DirtyFlag,
        BackingFilename = i.BackingFilename,
        FullBackingFilename = i.FullBackingFilename,
        BackingFormat = i.BackingFormat,
        Snapshots = i.Snapshots,
        Qcow2 = i.Qcow2,
    };
}
