using Virt.IO;

namespace Virt.Qemu.Driver.Nvram;

/// <summary>
/// The UEFI variable store with external snapshots (beyond libvirt, which never captures it): a snapshot keeps a
/// byte copy of the domain's NVRAM file (raw or qcow2 alike) beside its metadata, taken while the guest's vCPUs are
/// stopped so it matches the disks; a revert puts the copy back over the domain's NVRAM before QEMU starts. Both
/// writes are atomic, fsynced and private (0600).
/// </summary>
internal static class NvramSnapshot
{
    /// <summary>Copies <paramref name="nvram"/> to <paramref name="copy"/> (replacing a leftover of an earlier attempt).</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.WriteFailed"/> when the copy cannot be written.</exception>
    public static void Capture(string nvram, string copy) => CopyAtomically(nvram, copy);

    /// <summary>Puts <paramref name="copy"/> over <paramref name="nvram"/>, keeping the old contents until the caller
    /// commits or undoes the restore; recorded first in <paramref name="snapshotFolder"/> (<see cref="NvramRestoreRecord"/>)
    /// so a process killed before either leaves a restore the next job finishes.</summary>
    /// <param name="copy">The snapshot's NVRAM copy.</param>
    /// <param name="nvram">The domain's NVRAM file.</param>
    /// <param name="snapshotFolder">The domain's snapshot folder, where the record goes.</param>
    /// <param name="definition">The persistent definition the revert is about to write, or null for none.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when the snapshot has no NVRAM copy;
    /// <see cref="VirtErrorCode.WriteFailed"/> when a file cannot be written (the NVRAM is as it was).</exception>
    public static NvramSnapshotRestore Restore(string copy, string nvram, string snapshotFolder, string? definition)
    {
        if (!File.Exists(copy))
        {
            throw new VirtException(VirtErrorCode.OperationFailed, $"the snapshot's copy of the UEFI variable store ('{copy}') is missing; nothing was reverted");
        }

        string? backup = File.Exists(nvram) ? Path.Combine(Path.GetDirectoryName(nvram)!, "." + Path.GetFileName(nvram) + ".before-revert") : null;
        var record = new NvramRestoreRecord(nvram, backup, definition);
        record.Write(snapshotFolder);
        var restore = new NvramSnapshotRestore(record, snapshotFolder);
        try
        {
            if (backup is not null)
            {
                CopyAtomically(nvram, backup);
            }

            CopyAtomically(copy, nvram);
        }
        catch
        {
            restore.Undo();
            throw;
        }

        return restore;
    }

    /// <summary>Copies a file through a temporary next to the destination (fsync, rename, directory fsync).</summary>
    internal static void CopyAtomically(string source, string destination)
    {
        try
        {
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            _ = new AtomicFile().Replace(destination, AtomicFile.PrivateFile, output => input.CopyTo(output));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.WriteFailed, $"cannot copy '{source}' to '{destination}': {e.Message}", e);
        }
    }
}
