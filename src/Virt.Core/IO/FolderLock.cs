using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Virt.IO;

/// <summary>
/// Exclusive ownership of a folder by one open object at a time, in this process or another: an flock on the folder
/// itself, held while the lock is open and released on <see cref="Dispose"/> (or by the kernel when the process dies,
/// so a crashed owner never blocks the next one). flock locks belong to an open file description, so two owners in
/// one process exclude each other too. Locking the folder rather than a lock file inside it leaves the folder's
/// content exactly what its owner writes; the kernel records the owner's pid (in /proc/locks), which is what the
/// refused one is told. As libvirt does for its pid files, the lock is taken again when the folder was replaced
/// between the open and the lock. Linux only; elsewhere every acquisition succeeds.
/// </summary>
internal sealed class FolderLock : IDisposable
{
    private readonly SafeFileHandle? _handle;

    private FolderLock(SafeFileHandle? handle) => _handle = handle;

    /// <summary>Locks <paramref name="directory"/> (which must exist) without waiting.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="ownerPid">The pid of the process holding the lock when it is taken, or null when unknown.</param>
    /// <returns>The lock, or null when another owner holds it.</returns>
    /// <exception cref="IOException">The folder cannot be opened or locked.</exception>
    public static FolderLock? TryAcquire(string directory, out int? ownerPid)
    {
        ownerPid = null;
        if (!NativeMethods.CanTellFileKind)
        {
            return new FolderLock(null);
        }

        for (int attempt = 0; ; attempt++)
        {
            SafeFileHandle handle = NativeMethods.OpenReadNonBlocking(directory, out int errno)
                ?? throw new IOException($"cannot open '{directory}' to lock it: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
            try
            {
                HostFileStatus held = NativeMethods.StatusOf(handle);
                if (!NativeMethods.TryLockExclusive(handle))
                {
                    ownerPid = HolderOf(held);
                    handle.Dispose();
                    return null;
                }

                HostFileStatus named = NativeMethods.StatusOf(directory);
                if (attempt < 5 && named.Inode != held.Inode)
                {
                    handle.Dispose();
                    continue;
                }

                return new FolderLock(handle);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _handle?.Dispose();

    /// <summary>The pid /proc/locks gives for the flock on the file, or null.</summary>
    internal static int? HolderOf(HostFileStatus file)
    {
        if (file.Inode is not { } inode)
        {
            return null;
        }

        // "1: FLOCK  ADVISORY  WRITE 1234 08:02:5678 0 EOF" (device numbers in hex); waiters are "1: -> FLOCK ...".
        string device = string.Create(CultureInfo.InvariantCulture, $"{file.DeviceMajor:x2}:{file.DeviceMinor:x2}:{inode}");
        int? byInode = null;
        try
        {
            foreach (string line in File.ReadLines("/proc/locks"))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 6 || f[1] != "FLOCK" || !int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
                {
                    continue;
                }

                if (f[5] == device)
                {
                    return pid;
                }

                // Overlay and similar file systems may report another device number than the lock's super block.
                if (f[5].EndsWith(":" + inode.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
                {
                    byInode = pid;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return byInode;
    }
}
