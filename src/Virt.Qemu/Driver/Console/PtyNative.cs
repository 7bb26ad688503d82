using System.Runtime.InteropServices;

namespace Virt.Qemu.Driver.Console;

/// <summary>The libc calls a pty stream needs: open without becoming the controlling terminal, raw mode, poll, read, write.</summary>
internal static partial class PtyNative
{
    public const short PollIn = 0x001;
    public const short PollOut = 0x004;
    public const short PollErr = 0x008;
    public const short PollHup = 0x010;
    public const int Eintr = 4;
    public const int Eagain = 11;
    public const int Eio = 5;

    private const int ReadWrite = 0x2;
    private const int NoControllingTty = 0x100;
    private const int CloseOnExec = 0x80000;
    private const int NonBlocking = 0x800;
    private const int SetNow = 0;

    // glibc's struct termios on Linux is 60 bytes; the buffer leaves room.
    private const int TermiosSize = 64;

    /// <summary>Opens a pty for reading and writing, never as the caller's controlling terminal.</summary>
    /// <returns>The descriptor, or -1 with the errno in <paramref name="errno"/>.</returns>
    public static int OpenPty(string path, out int errno)
    {
        int fd = Open(path, ReadWrite | NoControllingTty | CloseOnExec | NonBlocking);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>Puts the terminal in raw mode (no echo, no line editing, bytes passed unchanged), as libvirt does for a console's pty.</summary>
    /// <returns>True when it worked.</returns>
    public static unsafe bool MakeRaw(int fd)
    {
        byte* termios = stackalloc byte[TermiosSize];
        if (TcGetAttr(fd, termios) != 0)
        {
            return false;
        }

        CfMakeRaw(termios);
        return TcSetAttr(fd, SetNow, termios) == 0;
    }

    /// <summary>Waits until <paramref name="fd"/> is ready for <paramref name="events"/> or <paramref name="timeoutMs"/> has passed.</summary>
    /// <returns>The events that happened (0 on timeout), or -1 with the errno in <paramref name="errno"/>.</returns>
    public static unsafe int Poll(int fd, short events, int timeoutMs, out int errno)
    {
        var entry = new PollFd { Fd = fd, Events = events };
        int n = PollNative(&entry, 1, timeoutMs);
        errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
        return n < 0 ? -1 : n == 0 ? 0 : entry.Revents;
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length; returns the count, or -1 with the errno.</summary>
    public static unsafe int Read(int fd, Span<byte> buffer, out int errno)
    {
        fixed (byte* p = buffer)
        {
            nint n = ReadNative(fd, p, (nuint)buffer.Length);
            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return (int)n;
        }
    }

    /// <summary>Writes from <paramref name="buffer"/>; returns the count written, or -1 with the errno.</summary>
    public static unsafe int Write(int fd, ReadOnlySpan<byte> buffer, out int errno)
    {
        fixed (byte* p = buffer)
        {
            nint n = WriteNative(fd, p, (nuint)buffer.Length);
            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return (int)n;
        }
    }

    /// <summary>Closes a descriptor.</summary>
    public static void CloseFd(int fd) => _ = Close(fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static unsafe partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static unsafe partial int TcSetAttr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static unsafe partial void CfMakeRaw(byte* termios);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int PollNative(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadNative(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteNative(int fd, byte* buffer, nuint count);
}
