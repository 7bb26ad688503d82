using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Virt.Snapshot.Store;

/// <summary>The libc calls .NET lacks: opening a directory and fsync-ing it, so a rename is durable; opening a file
/// without blocking when it turns out to be a FIFO.</summary>
internal static partial class NativeMethods
{
    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800; // Linux
    private const int ODirectory = 0x10000; // Linux
    private const int OCloexec = 0x80000; // Linux

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    /// <summary>Opens a file for reading. On Linux with O_NONBLOCK, so that a FIFO does not block the open (reading a
    /// regular file is unaffected); the caller checks that the stream can seek before reading.</summary>
    /// <exception cref="IOException">It cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static SafeFileHandle OpenForReading(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.OpenHandle(path);
        }

        int fd = Open(path, ORdOnly | ONonBlock | OCloexec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string reason = Marshal.GetPInvokeErrorMessage(errno);
            throw errno == 13 ? new UnauthorizedAccessException(reason) : new IOException(reason);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Flushes a directory's entries to disk. No-op where directories cannot be opened (non-Linux).</summary>
    public static void FsyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int fd = Open(path, ORdOnly | ODirectory | OCloexec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{path}' to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"cannot flush directory '{path}' (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }
}
