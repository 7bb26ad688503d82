namespace Virt.Testing;

/// <summary>libvirt's <c>virConnectListAllDomains</c> filter: flags within a group are ORed, groups are ANDed.</summary>
internal static class DomainListFilter
{
    public static bool Matches(TestDomain d, ListDomainsFlags flags)
    {
        const ListDomainsFlags activity = ListDomainsFlags.Active | ListDomainsFlags.Inactive;
        const ListDomainsFlags persistence = ListDomainsFlags.Persistent | ListDomainsFlags.Transient;
        const ListDomainsFlags state = ListDomainsFlags.Running | ListDomainsFlags.Paused | ListDomainsFlags.Shutoff | ListDomainsFlags.Other;
        const ListDomainsFlags snapshot = ListDomainsFlags.HasSnapshot | ListDomainsFlags.NoSnapshot;

        if ((flags & activity) != 0
            && !(flags.HasFlag(ListDomainsFlags.Active) && d.IsActive || flags.HasFlag(ListDomainsFlags.Inactive) && !d.IsActive))
        {
            return false;
        }

        if ((flags & persistence) != 0
            && !(flags.HasFlag(ListDomainsFlags.Persistent) && d.IsPersistent || flags.HasFlag(ListDomainsFlags.Transient) && !d.IsPersistent))
        {
            return false;
        }

        if ((flags & state) != 0)
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

        if ((flags & snapshot) != 0
            && !(flags.HasFlag(ListDomainsFlags.HasSnapshot) && d.SnapshotCount > 0 || flags.HasFlag(ListDomainsFlags.NoSnapshot) && d.SnapshotCount == 0))
        {
            return false;
        }

        return true;
    }
}
