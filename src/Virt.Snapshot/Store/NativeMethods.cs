using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Virt.Snapshot.Store;

/// <summary>The libc call .NET lacks here: opening a file without blocking when it turns out to be a FIFO.
/// (Directory fsync is <see cref="Virt.IO.DirectorySync"/>.)</summary>
internal static partial class NativeMethods
{
    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800; // Linux
    private const int OCloexec = 0x80000; // Linux

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

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
}
