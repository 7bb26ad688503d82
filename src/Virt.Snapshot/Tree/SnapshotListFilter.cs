namespace Virt.Snapshot.Tree;

/// <summary>libvirt's snapshot list filters (<c>virDomainSnapshotFilter</c> and the moment list's leaf and
/// metadata groups).</summary>
internal static class SnapshotListFilter
{
    private const SnapshotListFlags MetadataGroup = SnapshotListFlags.Metadata | SnapshotListFlags.NoMetadata;
    private const SnapshotListFlags StatusGroup = SnapshotListFlags.Inactive | SnapshotListFlags.Active | SnapshotListFlags.DiskOnly;
    private const SnapshotListFlags LocationGroup = SnapshotListFlags.Internal | SnapshotListFlags.External;

    public static List<SnapshotDefinition> Apply(IEnumerable<SnapshotNode> nodes, SnapshotListFlags flags)
    {
        // Unlike the other groups, libvirt tests LEAVES and NO_LEAVES one after the other: both match nothing.
        flags = ClearFullGroup(flags, MetadataGroup);
        flags = ClearFullGroup(flags, StatusGroup);
        flags = ClearFullGroup(flags, LocationGroup);
        var result = new List<SnapshotDefinition>();

        // Every snapshot in the tree has metadata: NO_METADATA alone matches nothing.
        if ((flags & SnapshotListFlags.NoMetadata) != 0)
        {
            return result;
        }

        foreach (var node in nodes)
        {
            if (Matches(node, flags))
            {
                result.Add(node.Definition!);
            }
        }

        return result;
    }

    private static SnapshotListFlags ClearFullGroup(SnapshotListFlags flags, SnapshotListFlags group) =>
        (flags & group) == group ? flags & ~group : flags;

    private static bool Matches(SnapshotNode node, SnapshotListFlags flags)
    {
        if ((flags & SnapshotListFlags.Leaves) != 0 && node.ChildCount != 0)
        {
            return false;
        }

        if ((flags & SnapshotListFlags.NoLeaves) != 0 && node.ChildCount == 0)
        {
            return false;
        }

        var def = node.Definition!;
        if ((flags & StatusGroup) != 0)
        {
            bool match = def.State switch
            {
                SnapshotState.Shutoff => (flags & SnapshotListFlags.Inactive) != 0,
                SnapshotState.DiskSnapshot => (flags & SnapshotListFlags.DiskOnly) != 0,
                _ => (flags & SnapshotListFlags.Active) != 0,
            };
            if (!match)
            {
                return false;
            }
        }

        if ((flags & SnapshotListFlags.Internal) != 0 && def.IsExternal)
        {
            return false;
        }

        return (flags & SnapshotListFlags.External) == 0 || def.IsExternal;
    }
}
