namespace Virt.Drivers.Rules;

/// <summary>
/// libvirt's <c>virDomainObjMatchFilter</c> (src/conf/virdomainobjlist.c), the filter of
/// <c>virConnectListAllDomains</c>: within a group the flags are ORed, the groups are ANDed, and a group with no
/// flag set lets every domain through.
/// </summary>
internal static class DomainListFilter
{
    private const ListDomainsFlags Activity = ListDomainsFlags.Active | ListDomainsFlags.Inactive;
    private const ListDomainsFlags Persistence = ListDomainsFlags.Persistent | ListDomainsFlags.Transient;
    private const ListDomainsFlags StateGroup = ListDomainsFlags.Running | ListDomainsFlags.Paused | ListDomainsFlags.Shutoff | ListDomainsFlags.Other;
    private const ListDomainsFlags ManagedSaveGroup = ListDomainsFlags.ManagedSave | ListDomainsFlags.NoManagedSave;
    private const ListDomainsFlags AutostartGroup = ListDomainsFlags.Autostart | ListDomainsFlags.NoAutostart;
    private const ListDomainsFlags SnapshotGroup = ListDomainsFlags.HasSnapshot | ListDomainsFlags.NoSnapshot;
    private const ListDomainsFlags CheckpointGroup = ListDomainsFlags.HasCheckpoint | ListDomainsFlags.NoCheckpoint;

    /// <summary>Every flag the filter understands (libvirt's <c>VIR_CONNECT_LIST_DOMAINS_FILTERS_ALL</c>).</summary>
    public const ListDomainsFlags Supported =
        Activity | Persistence | StateGroup | ManagedSaveGroup | AutostartGroup | SnapshotGroup | CheckpointGroup;

    /// <summary>Whether <paramref name="flags"/> filter on autostart, so a driver must find it out.</summary>
    public static bool AsksAutostart(ListDomainsFlags flags) => (flags & AutostartGroup) != 0;

    /// <summary>Whether <paramref name="flags"/> filter on snapshots, so a driver must count them.</summary>
    public static bool AsksSnapshots(ListDomainsFlags flags) => (flags & SnapshotGroup) != 0;

    /// <summary>Whether a domain passes the filter.</summary>
    public static bool Matches(in DomainListEntry domain, ListDomainsFlags flags)
    {
        var state = domain.State;
        bool other = state is not (DomainState.Running or DomainState.Paused or DomainState.Shutoff);
        return Group(flags, Activity, ListDomainsFlags.Active, domain.IsActive)
            && Group(flags, Persistence, ListDomainsFlags.Persistent, domain.IsPersistent)
            && ((flags & StateGroup) == 0
                || (flags.HasFlag(ListDomainsFlags.Running) && state == DomainState.Running)
                || (flags.HasFlag(ListDomainsFlags.Paused) && state == DomainState.Paused)
                || (flags.HasFlag(ListDomainsFlags.Shutoff) && state == DomainState.Shutoff)
                || (flags.HasFlag(ListDomainsFlags.Other) && other))
            && Group(flags, ManagedSaveGroup, ListDomainsFlags.ManagedSave, domain.HasManagedSave)
            && Group(flags, AutostartGroup, ListDomainsFlags.Autostart, domain.Autostart)
            && Group(flags, SnapshotGroup, ListDomainsFlags.HasSnapshot, domain.SnapshotCount > 0)
            && Group(flags, CheckpointGroup, ListDomainsFlags.HasCheckpoint, domain.CheckpointCount > 0);
    }

    /// <summary>A two-flag group: <paramref name="yes"/> selects domains where <paramref name="value"/> holds,
    /// the group's other flag those where it does not.</summary>
    private static bool Group(ListDomainsFlags flags, ListDomainsFlags group, ListDomainsFlags yes, bool value)
    {
        var set = flags & group;
        return set == 0 || (value ? (set & yes) != 0 : (set & ~yes) != 0);
    }
}
