using Virt.Conf;
using Virt.Snapshot;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// The files external snapshots keep as their point in time (each external disk's file in the snapshot's definition):
/// nothing may change their data. Reverting to an internal snapshot held in such a file would (QEMU or qemu-img
/// applies the snapshot to the file and the guest then writes to it), so it is refused before anything changes; this
/// is the mixed-tree case behind libvirt's 11.0 data-loss fix, seen from the revert side.
/// </summary>
internal static class ExternalFrozenFiles
{
    /// <summary>The frozen files of <paramref name="tree"/>, canonical, each with the snapshot that keeps it.</summary>
    public static IReadOnlyDictionary<string, string> Of(SnapshotTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var frozen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var snapshot in tree.List())
        {
            if (snapshot.DomainXml is not { } xml || !snapshot.Disks.Any(d => d.Snapshot == SnapshotLocation.External))
            {
                continue;
            }

            var def = DomainDefinition.Parse(xml);
            foreach (var disk in snapshot.Disks.Where(d => d.Snapshot == SnapshotLocation.External))
            {
                if (def.Devices.Disks.FirstOrDefault(d => d.TargetDev == disk.Name)?.Source is { } file)
                {
                    frozen.TryAdd(ExternalReferences.Canonical(file), snapshot.Name!);
                }
            }
        }

        return frozen;
    }

    /// <summary>Refuses to revert to internal snapshot <paramref name="name"/> when one of <paramref name="images"/> is frozen.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationUnsupported"/> naming the file and the external snapshot.</exception>
    public static void CheckInternalRevert(SnapshotTree tree, string name, IEnumerable<SnapshotImage> images)
    {
        var frozen = Of(tree);
        foreach (var image in images)
        {
            if (frozen.TryGetValue(ExternalReferences.Canonical(image.Path), out string? keeper))
            {
                throw new VirtException(VirtErrorCode.OperationUnsupported,
                    $"reverting to internal snapshot '{name}' would change '{image.Path}', which external snapshot '{keeper}' keeps as its point in time; nothing was reverted");
            }
        }
    }
}
