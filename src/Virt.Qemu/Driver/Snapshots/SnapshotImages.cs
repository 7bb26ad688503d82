using Virt.Conf;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Images;

namespace Virt.Qemu.Driver.Snapshots;

/// <summary>
/// The images of a definition, named as QEMU knows them (the node names come from <see cref="QemuCommandLine"/>, so
/// they are those of the QEMU that runs the definition), and what their own snapshot tables say, read natively
/// (QEMU may hold them open meanwhile).
/// </summary>
internal static class SnapshotImages
{
    /// <summary>Every disk with a medium, in the definition's order, then the NVRAM of a UEFI domain.</summary>
    public static List<SnapshotImage> Of(DomainDefinition def, QemuCommand command)
    {
        var images = new List<SnapshotImage>();
        foreach (var disk in def.Devices.Disks)
        {
            if (disk.Source is not { } source)
            {
                continue;
            }

            var nodes = command.Disks.First(d => d.Target == disk.TargetDev);
            images.Add(new SnapshotImage(disk.TargetDev, source, nodes.Format ?? "raw", nodes.FormatNode!));
        }

        if (command.PflashNodes is { Nvram: { } node, NvramFormat: { } format } && def.Os.Nvram?.Path is { } nvram)
        {
            images.Add(new SnapshotImage(SnapshotImage.NvramName, nvram, format, node));
        }

        return images;
    }

    /// <summary>The entry named <paramref name="tag"/> in the image's snapshot table, or null (also for a raw image).</summary>
    /// <exception cref="VirtException">As <see cref="QemuImage.GetInfo"/> when the image cannot be read.</exception>
    public static ImageSnapshotInfo? Find(SnapshotImage image, string tag)
    {
        if (!image.IsQcow2)
        {
            return null;
        }

        foreach (var entry in QemuImage.ListSnapshots(image.Path))
        {
            if (entry.Name == tag)
            {
                return entry;
            }
        }

        return null;
    }
}
