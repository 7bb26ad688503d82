namespace Virt.Qemu.Images;

/// <summary>Opens one image file read-only and describes it (no process is spawned).</summary>
internal static class ImageReader
{
    /// <summary>Reads <paramref name="path"/> as <paramref name="format"/>, or probes the format when it is null.</summary>
    public static ImageInfo Read(string path, string? format)
    {
        CheckIsRegularFile(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.RandomAccess,
                BufferSize = 0,
            });
        }
        catch (FileNotFoundException)
        {
            throw ImageErrors.NotFound(path);
        }
        catch (DirectoryNotFoundException)
        {
            throw ImageErrors.NotFound(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ImageErrors.OpenFailed(path, ex);
        }

        using (stream)
        {
            ImageInfo info = Read(stream, path, format);
            return WithActualSize(info, NativeMethods.AllocatedBytes(path));
        }
    }

    /// <summary>
    /// Refuses what is not a regular file before opening it: .NET would call a directory "access denied",
    /// and opening a named pipe would wait forever for a writer (as qemu-img does).
    /// </summary>
    public static void CheckIsRegularFile(string path)
    {
        HostFileKind kind = NativeMethods.KindOf(path);
        if (kind == HostFileKind.Unknown && Directory.Exists(path))
        {
            kind = HostFileKind.Directory;
        }

        string? description = kind switch
        {
            HostFileKind.Missing => throw ImageErrors.NotFound(path),
            HostFileKind.Directory => "a directory",
            HostFileKind.CharacterDevice => "a character device",
            HostFileKind.BlockDevice => "a block device",
            HostFileKind.Fifo => "a named pipe (FIFO)",
            HostFileKind.Socket => "a socket",
            _ => null,
        };
        if (description is not null)
        {
            throw ImageErrors.NotARegularFile(path, description);
        }
    }

    /// <summary>Reads an image from an open stream (used by tests and the fuzzer; no actual size).</summary>
    public static ImageInfo Read(Stream stream, string path, string? format)
    {
        var file = new ImageFileReader(stream, path);
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
