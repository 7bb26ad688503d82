namespace Virt.Testing;

/// <summary>libvirt's <c>virConnectListAllDomains</c> filter: flags within a group are ORed, groups are ANDed.</summary>
internal static class DomainListFilter
{
    private const ListDomainsFlags Activity = ListDomainsFlags.Active | ListDomainsFlags.Inactive;
    private const ListDomainsFlags Persistence = ListDomainsFlags.Persistent | ListDomainsFlags.Transient;
    private const ListDomainsFlags StateGroup = ListDomainsFlags.Running | ListDomainsFlags.Paused | ListDomainsFlags.Shutoff | ListDomainsFlags.Other;
    private const ListDomainsFlags SnapshotGroup = ListDomainsFlags.HasSnapshot | ListDomainsFlags.NoSnapshot;

    /// <summary>Every flag the filter understands; the test driver refuses others.</summary>
    public const ListDomainsFlags Supported = Activity | Persistence | StateGroup | SnapshotGroup;

    public static bool Matches(TestDomain d, ListDomainsFlags flags)
    {
        if ((flags & Activity) != 0
            && !(flags.HasFlag(ListDomainsFlags.Active) && d.IsActive || flags.HasFlag(ListDomainsFlags.Inactive) && !d.IsActive))
        {
            return false;
        }

        if ((flags & Persistence) != 0
            && !(flags.HasFlag(ListDomainsFlags.Persistent) && d.IsPersistent || flags.HasFlag(ListDomainsFlags.Transient) && !d.IsPersistent))
        {
            return false;
        }

        if ((flags & StateGroup) != 0)
        {
            bool other = d.State is not (DomainState.Running or DomainState.Paused or DomainState.Shutoff);
            if (!(flags.HasFlag(ListDomainsFlags.Running) && d.State == DomainState.Running
                || flags.HasFlag(ListDomainsFlags.Paused) && d.State == DomainState.Paused
                || flags.HasFlag(ListDomainsFlags.Shutoff) && d.State == DomainState.Shutoff
                || flags.HasFlag(ListDomainsFlags.Other) && other))
            {
                return false;
            }
        }

        if ((flags & SnapshotGroup) != 0
            && !(flags.HasFlag(ListDomainsFlags.HasSnapshot) && d.SnapshotCount > 0 || flags.HasFlag(ListDomainsFlags.NoSnapshot) && d.SnapshotCount == 0))
        {
            return false;
        }

        return true;
    }
}
