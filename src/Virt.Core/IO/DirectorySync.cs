using System.Runtime.InteropServices;

namespace Virt.IO;

/// <summary>
/// Flushes a directory's entries to disk so that a rename, link or unlink inside it survives a crash:
/// the last step of every atomic file write (snapshot metadata, new images). .NET has no API for it.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000; // Linux, same value on every architecture.

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    /// <summary>Flushes <paramref name="directory"/>; a no-op off Linux, where directories cannot be opened.</summary>
    /// <param name="directory">The directory.</param>
    /// <exception cref="IOException">The directory cannot be opened or flushed.</exception>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // No O_DIRECTORY: its value differs between architectures (0x10000 is O_DIRECT on arm64), and
        // fsync on a read-only descriptor of a directory is what flushes its entries.
        int fd = Open(directory, ReadOnly | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to flush it to disk: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"cannot flush directory '{directory}' to disk: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }
}
