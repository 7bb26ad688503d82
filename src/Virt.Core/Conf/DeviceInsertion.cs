namespace Virt.Conf;

/// <summary>Where libvirt puts a disk or controller among the others of its kind.</summary>
internal static class DeviceInsertion
{
    /// <summary>
    /// libvirt's order for disks: after the last disk with the same bus, before the first one on that
    /// bus with a later name. Like libvirt, it compares the bus as written (absent counts as its own bus).
    /// </summary>
    internal static void InsertDisk(List<(DomainDisk Disk, string? RawBus, long Index)> disks, DomainDisk disk, string? rawBus)
    {
        long index = DiskIndex(disk.TargetDev);
        Insert<(DomainDisk Disk, string? RawBus, long Index)>(disks, (disk, rawBus, index), d => d.RawBus == rawBus, d => d.Index > index);
    }

    /// <summary>libvirt's order for controllers: after the last one of the same type, before the first of that type with a higher index.</summary>
    internal static void InsertController(IList<DomainController> controllers, DomainController controller) =>
        Insert(controllers, controller, c => c.Type == controller.Type, c => c.Index > controller.Index);

    /// <summary>
    /// Inserts <paramref name="item"/> after the last item of its group, or before the first item of its group
    /// that <paramref name="sortsAfter"/> says comes later; appends when the group is empty.
    /// </summary>
    private static void Insert<T>(IList<T> items, T item, Func<T, bool> sameGroup, Func<T, bool> sortsAfter)
    {
        int insertAt = -1;
        for (int i = items.Count - 1; i >= 0; i--)
        {
            if (!sameGroup(items[i]))
            {
                continue;
            }

            if (sortsAfter(items[i]))
            {
                insertAt = i;
            }
            else if (insertAt == -1)
            {
                insertAt = i + 1;
            }
        }

        if (insertAt < 0)
        {
            items.Add(item);
        }
        else
        {
            items.Insert(insertAt, item);
        }
    }

    /// <summary>libvirt's <c>virDiskNameToIndex</c>: the letters after the prefix in base 26 (vda = 0, vdz = 25, vdaa = 26); -1 when not a disk name.</summary>
    internal static long DiskIndex(string name)
    {
        string[] prefixes = ["fd", "hd", "vd", "sd", "xvd", "ubd"];
        string? prefix = prefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));
        if (prefix is null || name.Length == prefix.Length)
        {
            return -1;
        }

        long index = 0;
        for (int i = prefix.Length, n = 0; i < name.Length && n < 8 && name[i] is >= 'a' and <= 'z'; i++, n++)
        {
            index = ((index + (n < 1 ? 0 : 1)) * 26) + (name[i] - 'a');
        }

        return index;
    }
}
