using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Virt.IO;

/// <summary>
/// The POSIX calls .NET does not expose, in one place for every assembly: the non-blocking open, file type and
/// allocated blocks (statx, whose layout is the same on every Linux architecture), fsync of a directory, flock,
/// hard links (no-clobber rename), realpath and a block device's size. Linux only; callers fall back elsewhere.
/// </summary>
internal static partial class NativeMethods
{
    // Linux open(2), flock(2) and fcntl(2) values; shared by every architecture .NET runs on.
    private const int ORdOnly = 0;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private const int EExist = 17;
    private const int ENoEnt = 2;
    private const int ENotDir = 20;
    private const int EWouldBlock = 11;
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatXType = 0x1;
    private const uint StatXSize = 0x200;
    private const uint StatXBlocks = 0x400;
    private const uint StatXIno = 0x100;
    private const int SeekSet = 0;
    private const int SeekEnd = 2;
    private const int FGetFl = 3;
    private const int FSetFl = 4;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle fd, int operation);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr ptr);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatX(int dirFd, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long LSeek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FCntl(int fd, int command, int argument);

    /// <summary>statx, the non-blocking open, flock and 64-bit lseek are used on 64-bit Linux only; elsewhere the
    /// type of a file is not known.</summary>
    public static bool CanTellFileKind => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>
    /// Opens a file read-only without waiting: a named pipe opens at once instead of waiting for a writer, and a
    /// terminal does not become the controlling one. Returns null with the errno on failure.
    /// </summary>
    public static SafeFileHandle? OpenReadNonBlocking(string path, out int errno)
    {
        int fd = Open(path, ORdOnly | ONonBlock | ONoCtty | OCloExec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Switches an open file back to blocking reads (O_NONBLOCK off).</summary>
    /// <exception cref="IOException">fcntl failed.</exception>
    public static void MakeBlocking(SafeFileHandle handle)
    {
        int fd = (int)handle.DangerousGetHandle();
        int flags = FCntl(fd, FGetFl, 0);
        if (flags < 0 || FCntl(fd, FSetFl, flags & ~ONonBlock) != 0)
        {
            throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        }
    }

    /// <summary>Flushes a directory's entries to disk (open read-only, fsync, close).</summary>
    /// <exception cref="IOException">It cannot be opened or flushed.</exception>
    public static void FsyncDirectory(string directory)
    {
        // No O_DIRECTORY: its value differs between architectures (0x10000 is O_DIRECT on arm64), and fsync on a
        // read-only descriptor of a directory is what flushes its entries.
        int fd = Open(directory, ORdOnly | OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to flush it to disk: {LastError()}");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"cannot flush directory '{directory}' to disk: {LastError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Takes an exclusive flock on an open file without waiting; false when another open file
    /// description holds one (in this process or another).</summary>
    /// <exception cref="IOException">flock failed for another reason.</exception>
    public static bool TryLockExclusive(SafeFileHandle handle)
    {
        if (Flock(handle, LockExclusive | LockNonBlocking) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == EWouldBlock ? false : throw new IOException(Marshal.GetPInvokeErrorMessage(errno));
    }

    /// <summary>
    /// Gives <paramref name="source"/> the name <paramref name="destination"/> only if that name is free.
    /// Returns false when the destination exists. On Linux the source name stays (the caller removes it).
    /// </summary>
    /// <exception cref="IOException">link failed for another reason.</exception>
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

    /// <summary>What an open file is (fstat).</summary>
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

    /// <summary>A block device's size in bytes (lseek to its end; fstat reports 0 for devices), leaving the offset at 0.</summary>
    /// <exception cref="IOException">It cannot be seeked.</exception>
    public static long SeekSize(SafeFileHandle handle)
    {
        int fd = (int)handle.DangerousGetHandle();
        long end = LSeek(fd, 0, SeekEnd);
        if (end < 0 || LSeek(fd, 0, SeekSet) != 0)
        {
            throw new IOException("cannot tell the size of the device: " + LastError());
        }

        return end;
    }

    /// <summary>Whether an errno means the name does not exist.</summary>
    public static bool IsMissing(int errno) => errno is ENoEnt or ENotDir;

    private static HostFileStatus StatX(int dirFd, string path, int flags)
    {
        if (!CanTellFileKind)
        {
            return HostFileStatus.Unknown;
        }

        // struct statx: stx_mask u32 @0, stx_mode u16 @28, stx_ino u64 @32, stx_size u64 @40, stx_blocks u64 @48,
        // stx_dev_major u32 @136, stx_dev_minor u32 @140.
        byte[] buffer = new byte[256];
        try
        {
            if (StatX(dirFd, path, flags, StatXType | StatXSize | StatXBlocks | StatXIno, buffer) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return IsMissing(errno) ? HostFileStatus.Missing : HostFileStatus.Unknown;
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
        ulong? inode = (mask & StatXIno) == 0 ? null : BitConverter.ToUInt64(buffer, 32);
        return new HostFileStatus(kind, size, allocated)
        {
            Inode = inode,
            DeviceMajor = BitConverter.ToUInt32(buffer, 136),
            DeviceMinor = BitConverter.ToUInt32(buffer, 140),
        };
    }

    private static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
}
