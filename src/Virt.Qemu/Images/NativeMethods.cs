using System.Runtime.InteropServices;

namespace Virt.Qemu.Images;

/// <summary>The few POSIX calls .NET does not expose: hard links (no-clobber rename), directory fsync, realpath, st_blocks.</summary>
internal static partial class NativeMethods
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;
    private const int EExist = 17;

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
}
