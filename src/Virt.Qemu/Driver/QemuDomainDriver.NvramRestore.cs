using Virt.Conf;
using Virt.Qemu.Driver.Nvram;

namespace Virt.Qemu.Driver;

/// <summary>
/// Finishing the NVRAM restore of an external revert whose process died between putting the snapshot's NVRAM in place
/// and committing it (<see cref="NvramRestoreRecord"/>): the revert went forward when the persistent definition is the
/// one it was writing (for a transient domain: when a QEMU was started for it); then the snapshot's NVRAM stays and the
/// old contents go. Otherwise the definition still names the old disks, and the old NVRAM contents come back.
/// </summary>
internal sealed partial class QemuDomainDriver
{
    /// <summary>Under a job, before anything else looks at the domain (a start must not boot the wrong variables).</summary>
    private void FinishNvramRestore(DomainView view, string snapshotFolder)
    {
        if (NvramRestoreRecord.Read(snapshotFolder) is not { } record)
        {
            return;
        }

        bool reverted = record.Definition is { } written
            ? view.Config is { } config && config.ToXml() == DomainDefinition.Parse(written).ToXml()
            : view.Status is not null;
        var restore = new NvramSnapshotRestore(record, snapshotFolder);
        try
        {
            if (reverted)
            {
                restore.Commit();
            }
            else
            {
                restore.Undo();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Never in the way of the job: the record stays and the next job tries again.
        }
    }
}
