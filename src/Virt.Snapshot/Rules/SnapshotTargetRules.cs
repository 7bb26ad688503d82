using Virt.Conf;

namespace Virt.Snapshot.Rules;

/// <summary>
/// The checks libvirt's QEMU driver makes on an aligned new snapshot before taking it (<c>qemuSnapshotPrepare</c>)
/// that depend only on the definitions: something is selected, an internal snapshot takes every disk and keeps
/// memory in a disk, a disk-only snapshot has an external disk, and internal and external targets are not mixed.
/// For drivers whose internal snapshots cover all disks at once (QEMU's <c>snapshot-save</c>); libvirt's test
/// driver does not make them.
/// </summary>
internal static class SnapshotTargetRules
{
    /// <summary>Checks <paramref name="snapshot"/>, whose disks are aligned with <paramref name="domainDisks"/>.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ConfigUnsupported"/> with libvirt's message.</exception>
    public static void Check(SnapshotDefinition snapshot, IReadOnlyList<DomainDisk> domainDisks)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(domainDisks);
        bool foundInternal = false;
        bool external = false;
        bool forbidInternal = false;
        for (int i = 0; i < snapshot.Disks.Count; i++)
        {
            switch (snapshot.Disks[i].Snapshot)
            {
                case SnapshotLocation.Internal:
                    foundInternal = true;
                    break;
                case SnapshotLocation.External:
                    external = true;
                    break;
                case SnapshotLocation.No when i < domainDisks.Count:
                    var disk = domainDisks[i];
                    forbidInternal |= !SnapshotDiskAlignment.IsEmpty(disk) && !disk.ReadOnly;
                    break;
            }
        }

        if (!foundInternal && !external && snapshot.Memory == SnapshotLocation.No)
        {
            throw Unsupported("nothing selected for snapshot");
        }

        if ((snapshot.Memory == SnapshotLocation.Internal && !foundInternal) || (foundInternal && forbidInternal))
        {
            throw Unsupported("internal and full system snapshots require all disks to be selected for snapshot");
        }

        if (snapshot.State == SnapshotState.DiskSnapshot && !external)
        {
            throw Unsupported("disk-only snapshots require at least one disk to be selected for snapshot");
        }

        if ((foundInternal && external)
            || (snapshot.Memory == SnapshotLocation.Internal && external)
            || (snapshot.Memory == SnapshotLocation.External && foundInternal))
        {
            throw Unsupported("mixing internal and external targets for a snapshot is not yet supported");
        }
    }

    private static VirtException Unsupported(string message) => new(VirtErrorCode.ConfigUnsupported, message);
}
