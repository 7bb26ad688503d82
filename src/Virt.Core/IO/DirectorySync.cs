namespace Virt.IO;

/// <summary>
/// Flushes a directory's entries to disk so that a rename, link or unlink inside it survives a crash:
/// the last step of every atomic file write (snapshot metadata, new images). .NET has no API for it.
/// </summary>
internal static class DirectorySync
{
    /// <summary>Flushes <paramref name="directory"/>; a no-op off Linux, where directories cannot be opened.</summary>
    /// <param name="directory">The directory.</param>
    /// <exception cref="IOException">The directory cannot be opened or flushed.</exception>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsLinux())
        {
            NativeMethods.FsyncDirectory(directory);
        }
    }
}
