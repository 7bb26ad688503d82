using System.Runtime.InteropServices;

namespace Virt.Qemu.Images;

/// <summary>The few POSIX calls .NET does not expose: hard links (no-clobber rename), directory fsync, realpath, st_blocks, file type.</summary>
internal static partial class NativeMethods
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;
    private const int EExist = 17;
    private const int ENoEnt = 2;
    private const int ENotDir = 20;

    [DllImport("libc", SetLastError = true, EntryPoint = "link")]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true, EntryPoint = "fsync")]
    private static extern int FSync(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "close")]
    private static extern int Close(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "realpath")]
    private static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr ptr);

    [DllImport("libc", SetLastError = true, EntryPoint = "stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] buffer);

    private static bool IsLinux64 =>
        OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>
    /// Gives <paramref name="source"/> the name <paramref name="destination"/> only if that name is free
    /// (link, then unlink the source). Returns false when the destination exists.
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

        File.Delete(source);
        return true;
    }

    /// <summary>Flushes a directory's entries to disk so a rename inside it survives a crash.</summary>
    public static void FSyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int fd = Open(directory, ORdOnly | ODirectory);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = FSync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
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

    /// <summary>Bytes allocated to the file on the host (st_blocks * 512), or null where unknown.</summary>
    public static long? AllocatedBytes(string path)
    {
        if (!IsLinux64)
        {
            return null;
        }

        // struct stat on Linux x86_64 and aarch64 (glibc): st_blocks is the 64-bit field at offset 64.
        byte[] buffer = new byte[256];
        if (Stat(path, buffer) != 0)
        {
            return null;
        }

        return BitConverter.ToInt64(buffer, 64) * 512;
    }

    /// <summary>What kind of file <paramref name="path"/> names, following symlinks (stat's st_mode), without opening it.</summary>
    /// <returns>The kind; <see cref="HostFileKind.Unknown"/> where stat fails for another reason or the platform is not Linux x86_64/aarch64.</returns>
    public static HostFileKind KindOf(string path)
    {
        if (!IsLinux64)
        {
            return HostFileKind.Unknown;
        }

        byte[] buffer = new byte[256];
        if (Stat(path, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is ENoEnt or ENotDir ? HostFileKind.Missing : HostFileKind.Unknown;
        }

        // struct stat (glibc): st_mode is at offset 24 on x86_64 (after the 64-bit st_nlink), 16 on aarch64.
        int modeOffset = RuntimeInformation.OSArchitecture == Architecture.X64 ? 24 : 16;
        uint type = BitConverter.ToUInt32(buffer, modeOffset) & 0xF000;
        return type switch
        {
            0x8000 => HostFileKind.Regular,
            0x4000 => HostFileKind.Directory,
            0x2000 => HostFileKind.CharacterDevice,
            0x6000 => HostFileKind.BlockDevice,
            0x1000 => HostFileKind.Fifo,
            0xC000 => HostFileKind.Socket,
            _ => HostFileKind.Unknown,
        };
    }
}

/// <summary>A file's type as stat reports it.</summary>
internal enum HostFileKind
{
    /// <summary>Could not be told (another stat error, or an unsupported platform).</summary>
    Unknown,
    /// <summary>Neither the file nor (part of) its directory exists.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A character device such as /dev/null.</summary>
    CharacterDevice,
    /// <summary>A block device such as /dev/sda.</summary>
    BlockDevice,
    /// <summary>A named pipe: opening it for reading would wait for a writer.</summary>
    Fifo,
    /// <summary>A UNIX socket.</summary>
    Socket,
}
