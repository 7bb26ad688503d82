namespace Virt.Qemu.Driver.Nvram;

/// <summary>A restored NVRAM whose old contents are kept until <see cref="Commit"/> (or put back by <see cref="Undo"/>).</summary>
/// <param name="nvram">The domain's NVRAM file.</param>
/// <param name="backup">The old contents, or null when there was no NVRAM file.</param>
internal sealed class NvramSnapshotRestore(string nvram, string? backup)
{
    /// <summary>The revert succeeded: the old contents go.</summary>
    public void Commit()
    {
        if (backup is not null)
        {
            File.Delete(backup);
        }
    }

    /// <summary>The revert failed: the old contents come back (best effort; the backup stays when it cannot be copied).</summary>
    public void Undo()
    {
        try
        {
            if (backup is null)
            {
                File.Delete(nvram);
                return;
            }

            NvramSnapshot.CopyAtomically(backup, nvram);
            File.Delete(backup);
        }
        catch (Exception e) when (e is VirtException or IOException or UnauthorizedAccessException)
        {
            // The original error matters more; the backup is left for the user.
        }
    }
}
