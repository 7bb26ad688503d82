using Virt.Conf;
using Virt.Snapshot;
using Virt.Snapshot.Rules;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// Which images a new internal snapshot is taken on, after the shared checks (<see cref="SnapshotTargetRules"/>):
/// every disk the aligned definition marks internal, which must be qcow2 (libvirt's wording), and the NVRAM of a
/// UEFI domain, which must be qcow2 too (libvirt 9.0 refuses every pflash domain; a qcow2 NVRAM is taken with the
/// disks, so a revert restores it). External snapshots go their own way (<see cref="IsExternal"/>).
/// </summary>
internal static class QemuSnapshotTargets
{
    /// <summary>Whether the completed snapshot is taken as an external one (QemuDomainDriver.ExternalCreate): an external
    /// disk or memory, a disk-only state, or a disk in manual mode.</summary>
    public static bool IsExternal(SnapshotDefinition snapshot) =>
        snapshot.IsExternal || snapshot.State == SnapshotState.DiskSnapshot || snapshot.Disks.Any(d => d.Snapshot == SnapshotLocation.Manual);

    /// <summary>The snapshot with qcow2 as the format of every external disk that names none, as libvirt records it.</summary>
    public static SnapshotDefinition WithOverlayFormat(SnapshotDefinition snapshot) => snapshot with
    {
        Disks = [.. snapshot.Disks.Select(d => d.Snapshot == SnapshotLocation.External && d.DriverType is null ? d with { DriverType = "qcow2" } : d)],
    };

    /// <summary>The images to snapshot, disks first in the definition's order (the first holds the VM state).</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.ConfigUnsupported"/> as the shared rules, or for a disk that is not qcow2; <see cref="VirtErrorCode.OperationUnsupported"/> for a raw NVRAM.</exception>
    public static List<SnapshotImage> Select(SnapshotDefinition snapshot, DomainDefinition domain, IReadOnlyList<SnapshotImage> images)
    {
        SnapshotTargetRules.Check(snapshot, domain.Devices.Disks.ToList());

        var selected = new List<SnapshotImage>();
        foreach (var disk in snapshot.Disks)
        {
            if (disk.Snapshot != SnapshotLocation.Internal || images.FirstOrDefault(i => i.Name == disk.Name && !i.IsNvram) is not { } image)
            {
                continue;
            }

            if (!image.IsQcow2)
            {
                throw new VirtException(VirtErrorCode.ConfigUnsupported, $"internal snapshot for disk {disk.Name} unsupported for storage type {image.Format}");
            }

            selected.Add(image);
        }

        if (images.FirstOrDefault(i => i.IsNvram) is { } nvram)
        {
            if (!nvram.IsQcow2)
            {
                throw new VirtException(VirtErrorCode.OperationUnsupported,
                    "internal snapshots of a VM with pflash based firmware need a qcow2 NVRAM (<nvram format='qcow2'>); this one is " + nvram.Format);
            }

            selected.Add(nvram);
        }

        return selected;
    }
}
