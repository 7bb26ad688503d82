using Virt.Snapshot;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// The images a revert to an internal snapshot applies to, found before anything changes (DESIGN.md rule 1, libvirt's
/// fix for <c>-loadvm</c>): every disk the snapshot's metadata names as internal, which must hold the snapshot, plus
/// any other image of the definition that will run whose own table holds a snapshot of that name (a qcow2 NVRAM
/// among them); the VM state is read from the image whose entry holds it, wherever QEMU put it (HMP <c>savevm</c>
/// puts it in a qcow2 NVRAM).
/// </summary>
/// <param name="Devices">The images to revert, in the definition's order.</param>
/// <param name="VmState">The image whose entry holds the VM state, or null when none does (a disk-only snapshot).</param>
internal sealed record RevertImages(IReadOnlyList<SnapshotImage> Devices, SnapshotImage? VmState)
{
    /// <summary>Finds the images for reverting to <paramref name="snapshot"/> on <paramref name="images"/>.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/> when a disk of the snapshot's metadata
    /// is not in the definition or its image lacks the snapshot, or when a snapshot with memory has no image holding the
    /// VM state; as <see cref="SnapshotImages.Find"/> when an image cannot be read.</exception>
    public static RevertImages Find(SnapshotDefinition snapshot, IReadOnlyList<SnapshotImage> images)
    {
        string tag = snapshot.Name!;
        var required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var disk in snapshot.Disks)
        {
            if (disk.Snapshot == SnapshotLocation.Internal)
            {
                required.Add(disk.Name);
            }
        }

        var devices = new List<SnapshotImage>();
        SnapshotImage? vmstate = null;
        foreach (var image in images)
        {
            var entry = SnapshotImages.Find(image, tag);
            bool named = !image.IsNvram && required.Remove(image.Name);
            if (entry is null)
            {
                if (named)
                {
                    throw new VirtException(VirtErrorCode.OperationFailed,
                        $"disk '{image.Name}' ({image.Path}) has no internal snapshot '{tag}'; nothing was reverted");
                }

                continue;
            }

            devices.Add(image);
            if (entry.VmStateSize > 0 && vmstate is null)
            {
                vmstate = image;
            }
        }

        if (required.Count > 0)
        {
            throw new VirtException(VirtErrorCode.OperationFailed,
                $"disk '{required.First()}' of snapshot '{tag}' is not in the domain's definition; nothing was reverted");
        }

        if (snapshot.IsOnline && vmstate is null)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, $"no image of the domain holds the VM state of snapshot '{tag}'; nothing was reverted");
        }

        return new RevertImages(devices, vmstate);
    }
}
