using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Virt.Qemu.Images;

/// <summary>
/// The few POSIX calls .NET does not expose: hard links (no-clobber rename), realpath,
/// file type and allocated blocks (statx, whose layout is the same on every Linux architecture), a
/// non-blocking open and a block device's size.
/// </summary>
internal static partial class NativeMethods
{
    // Linux open(2) flags; these values are shared by every architecture .NET runs on.
    private const int ORdOnly = 0;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private const int EExist = 17;
    private const int ENoEnt = 2;
    private const int ENotDir = 20;
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatXType = 0x1;
    private const uint StatXSize = 0x200;
    private const uint StatXBlocks = 0x400;
    private const int SeekSet = 0;
    private const int SeekEnd = 2;
    private const int FGetFl = 3;
    private const int FSetFl = 4;

    [DllImport("libc", SetLastError = true, EntryPoint = "link")]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "realpath")]
    private static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr ptr);

    [DllImport("libc", SetLastError = true, EntryPoint = "statx")]
    private static extern int StatX(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", SetLastError = true, EntryPoint = "lseek")]
    private static extern long LSeek(int fd, long offset, int whence);

    [DllImport("libc", SetLastError = true, EntryPoint = "fcntl")]
    private static extern int FCntl(int fd, int command, int argument);

    /// <summary>statx, non-blocking open and 64-bit lseek are used on 64-bit Linux only; elsewhere the type is not known.</summary>
    public static bool CanTellFileKind => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>
    /// Gives <paramref name="source"/> the name <paramref name="destination"/> only if that name is free.
    /// Returns false when the destination exists. On Linux the source name stays (the caller removes it).
    /// </summary>
    public static bool TryLinkNoReplace(string source, string destination)
    {
        if (!OperatingSystem.IsLinux())
        {
            if (File.Exists(destination))
            {
                return false;
            }

            File.Move(source, destination, overwrite: false);
            return true;
        }

        if (Link(source, destination) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EExist)
            {
                return false;
            }

            throw new IOException($"cannot link '{source}' to '{destination}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return true;
    }

    /// <summary>The canonical absolute path (symlinks resolved), or null if it cannot be resolved.</summary>
    public static string? CanonicalPath(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Path.GetFullPath(path);
        }

        IntPtr p = RealPath(path, IntPtr.Zero);
        if (p == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            Free(p);
        }
    }

    /// <summary>What <paramref name="path"/> names, following symlinks, without opening it.</summary>
    public static HostFileStatus StatusOf(string path) => StatX(AtFdCwd, path, 0);

    /// <summary>What an open file is.</summary>
    public static HostFileStatus StatusOf(SafeFileHandle handle)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return StatX((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static HostFileStatus StatX(int dirFd, string path, int flags)
    {
        if (!CanTellFileKind)
        {
            return HostFileStatus.Unknown;
        }

        // struct statx is architecture-independent: stx_mask u32 @0, stx_mode u16 @28, stx_size u64 @40, stx_blocks u64 @48.
        byte[] buffer = new byte[256];
        try
        {
            if (StatX(dirFd, path, flags, StatXType | StatXSize | StatXBlocks, buffer) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return errno is ENoEnt or ENotDir ? HostFileStatus.Missing : HostFileStatus.Unknown;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return HostFileStatus.Unknown;
        }

        uint mask = BitConverter.ToUInt32(buffer, 0);
        HostFileKind kind = (mask & StatXType) == 0 ? HostFileKind.Unknown : KindFromMode(BitConverter.ToUInt16(buffer, 28));
        long? size = (mask & StatXSize) == 0 ? null : BitConverter.ToInt64(buffer, 40);
        long? allocated = (mask & StatXBlocks) == 0 ? null : BitConverter.ToInt64(buffer, 48) * 512;
        return new HostFileStatus(kind, size, allocated);
    }

    /// <summary>The file type bits of a POSIX st_mode.</summary>
    internal static HostFileKind KindFromMode(uint mode) => (mode & 0xF000) switch
    {
        0x8000 => HostFileKind.Regular,
        0x4000 => HostFileKind.Directory,
        0x2000 => HostFileKind.CharacterDevice,
        0x6000 => HostFileKind.BlockDevice,
        0x1000 => HostFileKind.Fifo,
        0xC000 => HostFileKind.Socket,
        0xA000 => HostFileKind.Symlink,
        _ => HostFileKind.Unknown,
    };

    /// <summary>
    /// Opens a file read-only without waiting: a named pipe opens at once instead of waiting for a writer,
    /// and a terminal does not become the controlling one. Returns null with the errno on failure.
    /// </summary>
    public static SafeFileHandle? OpenReadNonBlocking(string path, out int errno)
    {
        int fd = Open(path, ORdOnly | ONonBlock | ONoCtty | OCloExec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Switches an open file back to blocking reads (O_NONBLOCK off).</summary>
    public static void MakeBlocking(SafeFileHandle handle)
    {
        int fd = (int)handle.DangerousGetHandle();
        int flags = FCntl(fd, FGetFl, 0);
        if (flags < 0 || FCntl(fd, FSetFl, flags & ~ONonBlock) != 0)
        {
            throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }
    }

    /// <summary>A block device's size in bytes (lseek to its end; fstat reports 0 for devices), leaving the offset at 0.</summary>
    public static long SeekSize(SafeFileHandle handle)
    {
        int fd = (int)handle.DangerousGetHandle();
        long end = LSeek(fd, 0, SeekEnd);
        if (end < 0 || LSeek(fd, 0, SeekSet) != 0)
        {
            throw new IOException("cannot tell the size of the device: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }

        return end;
    }

    /// <summary>Whether an errno means the name does not exist.</summary>
    public static bool IsMissing(int errno) => errno is ENoEnt or ENotDir;
}
