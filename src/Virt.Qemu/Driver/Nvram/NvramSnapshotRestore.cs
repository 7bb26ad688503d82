using Virt.Qemu.Driver.Snapshots;

namespace Virt.Qemu.Driver.Nvram;

/// <summary>A restored NVRAM whose old contents are kept until <see cref="Commit"/> (or put back by <see cref="Undo"/>);
/// either ends the <see cref="NvramRestoreRecord"/>, after the files, so a process killed in between leaves the record
/// and the next job does it again.</summary>
/// <param name="record">What was restored and where the old contents are.</param>
/// <param name="snapshotFolder">The domain's snapshot folder, where the record is.</param>
internal sealed class NvramSnapshotRestore(NvramRestoreRecord record, string snapshotFolder)
{
    /// <summary>The revert succeeded: the old contents go.</summary>
    public void Commit()
    {
        RemoveLeftovers();
        if (record.Backup is { } backup)
        {
            File.Delete(backup);
        }

        NvramRestoreRecord.End(snapshotFolder);
    }

    /// <summary>The revert failed: the old contents come back (best effort; the backup and the record stay when it cannot
    /// be copied, for the next job to try again).</summary>
    public void Undo()
    {
        try
        {
            RemoveLeftovers();
            if (record.Backup is null)
            {
                File.Delete(record.Nvram);
            }
            else if (File.Exists(record.Backup))
            {
                NvramSnapshot.CopyAtomically(record.Backup, record.Nvram);
                File.Delete(record.Backup);
            }

            // A backup recorded but never written: the NVRAM was not touched.
            NvramRestoreRecord.End(snapshotFolder);
        }
        catch (Exception e) when (e is VirtException or IOException or UnauthorizedAccessException)
        {
            // The original error matters more; the backup is left for the next job.
        }
    }

    /// <summary>The hidden temporary files an interrupted copy to the NVRAM or its backup left.</summary>
    private void RemoveLeftovers()
    {
        string?[] written = [record.Nvram, record.Backup];
        foreach (string temp in written.OfType<string>().SelectMany(ExternalPending.TempFilesOf))
        {
            File.Delete(temp);
        }
    }
}
