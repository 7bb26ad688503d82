using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Virt.Qemu.Qmp;

/// <summary>
/// Sends bytes on a UNIX socket with one file descriptor as <c>SCM_RIGHTS</c> ancillary data, in a single
/// <c>sendmsg</c>: QEMU's monitor takes a descriptor that arrives with a command's bytes as that command's
/// (<c>getfd</c>, <c>add-fd</c>). The receiver gets its own descriptor for the same open file (offset shared).
/// </summary>
internal static partial class QmpFdPassing
{
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgNoSignal = 0x4000;
    private const int Eintr = 4;
    private const int Eagain = 11;

    // x86_64 / aarch64 Linux: struct cmsghdr is { size_t cmsg_len; int cmsg_level; int cmsg_type; } (16 bytes), then
    // the data padded to 8: CMSG_LEN(sizeof(int)) = 20, CMSG_SPACE(sizeof(int)) = 24.
    private const int CmsgHeaderSize = 16;
    private const int CmsgSpaceOneFd = 24;

    /// <summary>
    /// Sends a first part of <paramref name="bytes"/> (at least one byte unless it fails) with <paramref name="fd"/>
    /// attached, waiting at most <paramref name="timeout"/> for the socket to accept it.
    /// </summary>
    /// <returns>How many bytes went; the rest is sent as plain bytes.</returns>
    /// <exception cref="SocketException">The send failed (<see cref="SocketError.TimedOut"/> when the socket did not
    /// accept the bytes in time).</exception>
    public static int Send(Socket socket, ReadOnlySpan<byte> bytes, SafeHandle fd, TimeSpan timeout)
    {
        if (bytes.IsEmpty)
        {
            throw new ArgumentException("the descriptor must travel with at least one byte", nameof(bytes));
        }

        bool added = false;
        bool socketAdded = false;
        fd.DangerousAddRef(ref added);
        socket.SafeHandle.DangerousAddRef(ref socketAdded);
        try
        {
            long deadline = Environment.TickCount64 + (long)Math.Max(0, timeout.TotalMilliseconds);
            while (true)
            {
                long sent = SendOnce(socket.SafeHandle.DangerousGetHandle(), bytes, (int)fd.DangerousGetHandle(), out int errno);
                if (sent >= 0)
                {
                    return (int)sent;
                }

                if (errno == Eintr)
                {
                    continue;
                }

                if (errno != Eagain)
                {
                    throw new SocketException(ErrnoToSocketError(errno));
                }

                // The socket is non-blocking underneath (.NET connected it asynchronously): wait until it takes bytes.
                long left = deadline - Environment.TickCount64;
                if (left <= 0 || !socket.Poll(TimeSpan.FromMilliseconds(left), SelectMode.SelectWrite))
                {
                    throw new SocketException((int)SocketError.TimedOut);
                }
            }
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }

            if (socketAdded)
            {
                socket.SafeHandle.DangerousRelease();
            }
        }
    }

    private static unsafe long SendOnce(nint socket, ReadOnlySpan<byte> bytes, int fd, out int errno)
    {
        byte* control = stackalloc byte[CmsgSpaceOneFd];
        new Span<byte>(control, CmsgSpaceOneFd).Clear();
        *(nuint*)control = CmsgHeaderSize + sizeof(int);
        *(int*)(control + 8) = SolSocket;
        *(int*)(control + 12) = ScmRights;
        *(int*)(control + CmsgHeaderSize) = fd;

        fixed (byte* data = bytes)
        {
            var iov = new IoVector { Base = data, Length = (nuint)bytes.Length };
            var message = new MessageHeader { Iov = &iov, IovLength = 1, Control = control, ControlLength = CmsgSpaceOneFd };
            long sent = SendMsg((int)socket, &message, MsgNoSignal);
            errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
            return sent;
        }
    }

    private static int ErrnoToSocketError(int errno) => errno switch
    {
        32 => (int)SocketError.Shutdown, // EPIPE
        104 => (int)SocketError.ConnectionReset, // ECONNRESET
        9 => (int)SocketError.NotSocket, // EBADF
        _ => (int)SocketError.SocketError,
    };

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static unsafe partial nint SendMsg(int socket, MessageHeader* message, int flags);
}
