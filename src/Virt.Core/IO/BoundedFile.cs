using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Virt.IO;

/// <summary>What <see cref="BoundedFile.Read"/> found: the bytes, or why they were not read.</summary>
/// <param name="Bytes">The whole content; null when refused.</param>
/// <param name="Kind">What the file is (<see cref="HostFileKind.Unknown"/> where that cannot be told).</param>
/// <param name="Size">Its length when known (a regular file's size).</param>
internal readonly record struct BoundedReadResult(byte[]? Bytes, HostFileKind Kind, long? Size)
{
    /// <summary>Refused: not a regular file (a FIFO, a device, a directory, a socket).</summary>
    public bool NotRegular => Bytes is null && Kind is not (HostFileKind.Regular or HostFileKind.Unknown);

    /// <summary>Refused: larger than the limit.</summary>
    public bool TooLarge => Bytes is null && !NotRegular;
}

/// <summary>
/// Reads a whole file of bounded size without ever blocking or reading without end: it is opened non-blocking
/// (a FIFO opens at once), checked on the open descriptor (fstat) to be a regular file (devices such as
/// /dev/zero, FIFOs, sockets and directories are refused without a read), and read up to the limit only.
/// </summary>
internal static class BoundedFile
{
    /// <summary>Reads <paramref name="path"/> if it is a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most bytes accepted.</param>
    /// <returns>The bytes, or the refusal.</returns>
    /// <exception cref="FileNotFoundException">It does not exist (the message is strerror's).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    /// <exception cref="IOException">It cannot be opened or read.</exception>
    public static BoundedReadResult Read(string path, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        using SafeFileHandle handle = Open(path);
        HostFileStatus status = NativeMethods.StatusOf(handle);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        HostFileKind kind = status.Kind;
        if (kind == HostFileKind.Unknown && !stream.CanSeek)
        {
            kind = HostFileKind.Fifo;
        }

        if (kind is not (HostFileKind.Regular or HostFileKind.Unknown))
        {
            return new(null, kind, null);
        }

        long length = status.Size ?? stream.Length;
        if (length > maxBytes)
        {
            return new(null, kind, length);
        }

        // The length can change under us: read at most one byte past the limit.
        byte[] buffer = new byte[Math.Min(Math.Max(length, 4096), maxBytes) + 1];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    return new(null, kind, null);
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
            }

            int read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return new(total == buffer.Length ? buffer : buffer[..total], kind, length);
    }

    private static SafeFileHandle Open(string path)
    {
        if (!NativeMethods.CanTellFileKind)
        {
            return File.OpenHandle(path);
        }

        SafeFileHandle? handle = NativeMethods.OpenReadNonBlocking(path, out int errno);
        if (handle is not null)
        {
            return handle;
        }

        string reason = Marshal.GetPInvokeErrorMessage(errno);
        throw errno switch
        {
            _ when NativeMethods.IsMissing(errno) => new FileNotFoundException(reason, path),
            1 or 13 => new UnauthorizedAccessException(reason),
            _ => new IOException(reason),
        };
    }
}
