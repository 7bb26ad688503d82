using Virt.Drivers;
using Virt.Remote.Protocol;
using Virt.Remote.Xdr;

namespace Virt.Remote.Driver;

/// <summary>
/// The older calls made when a daemon answers "unknown procedure" (libvirt before 0.9.13 has no list-all procedures),
/// as virsh's list collectors fall back: count, list ids or names, look each up, and filter here what the old
/// procedures cannot.
/// </summary>
internal sealed partial class RemoteDomainDriver
{
    private const ListDomainsFlags NoOldWay = ListDomainsFlags.ManagedSave | ListDomainsFlags.NoManagedSave
        | ListDomainsFlags.HasCheckpoint | ListDomainsFlags.NoCheckpoint;

    private static readonly XdrDecoder<int> IntRet = static (ref XdrReader r) => r.ReadInt32();

    private static readonly XdrDecoder<string[]> NameListRet = static (ref XdrReader r) =>
        RemoteWire.ReadArray(ref r, RemoteLimits.DomainListMax, "name list", static (ref XdrReader x) => x.ReadString());

    /// <summary>CONNECT_NUM_OF_DOMAINS + CONNECT_LIST_DOMAINS (running, by id) and CONNECT_NUM_OF_DEFINED_DOMAINS +
    /// CONNECT_LIST_DEFINED_DOMAINS (inactive, by name), then the flags' filters one domain at a time.</summary>
    private DomainIdentity[] ListDomainsTheOldWay(ListDomainsFlags flags, VirtException unknown)
    {
        if ((flags & NoOldWay) != 0)
        {
            throw unknown;
        }

        bool active = !flags.HasFlag(ListDomainsFlags.Inactive) || flags.HasFlag(ListDomainsFlags.Active);
        bool inactive = !flags.HasFlag(ListDomainsFlags.Active) || flags.HasFlag(ListDomainsFlags.Inactive);
        var domains = new List<DomainIdentity>();
        if (active)
        {
            int count = Call(RemoteProcedure.ConnectNumOfDomains, null, IntRet);
            int[] ids = count == 0 ? [] : Call(RemoteProcedure.ConnectListDomains, w => w.WriteInt32(count),
                static (ref XdrReader r) => RemoteWire.ReadArray(ref r, RemoteLimits.DomainListMax, "id list", static (ref XdrReader x) => x.ReadInt32()));
            domains.AddRange(LookUpEach(ids, LookupDomainById));
        }

        if (inactive)
        {
            int count = Call(RemoteProcedure.ConnectNumOfDefinedDomains, null, IntRet);
            string[] names = count == 0 ? [] : Call(RemoteProcedure.ConnectListDefinedDomains, w => w.WriteInt32(count), NameListRet);
            domains.AddRange(LookUpEach(names, LookupDomainByName));
        }

        return [.. domains.Where(d => Matches(d, flags))];
    }

    /// <summary>A domain that went away between the listing and the lookup is left out, as virsh leaves it out.</summary>
    private static IEnumerable<DomainIdentity> LookUpEach<T>(IEnumerable<T> keys, Func<T, DomainIdentity> lookup)
    {
        foreach (var key in keys)
        {
            DomainIdentity? domain;
            try
            {
                domain = lookup(key);
            }
            catch (VirtException ex) when (ex.Code == VirtErrorCode.NoDomain)
            {
                domain = null;
            }

            if (domain is not null)
            {
                yield return domain;
            }
        }
    }

    private bool Matches(DomainIdentity domain, ListDomainsFlags flags)
    {
        if ((flags & (ListDomainsFlags.Persistent | ListDomainsFlags.Transient)) is var p && p != 0
            && p != (ListDomainsFlags.Persistent | ListDomainsFlags.Transient)
            && IsDomainPersistent(domain) != flags.HasFlag(ListDomainsFlags.Persistent))
        {
            return false;
        }

        const ListDomainsFlags States = ListDomainsFlags.Running | ListDomainsFlags.Paused | ListDomainsFlags.Shutoff | ListDomainsFlags.Other;
        if ((flags & States) != 0)
        {
            var wanted = GetDomainState(domain).State switch
            {
                DomainState.Running => ListDomainsFlags.Running,
                DomainState.Paused => ListDomainsFlags.Paused,
                DomainState.Shutoff => ListDomainsFlags.Shutoff,
                _ => ListDomainsFlags.Other,
            };
            if ((flags & wanted) == 0)
            {
                return false;
            }
        }

        if ((flags & (ListDomainsFlags.Autostart | ListDomainsFlags.NoAutostart)) is var a && a != 0
            && a != (ListDomainsFlags.Autostart | ListDomainsFlags.NoAutostart)
            && GetDomainAutostart(domain) != flags.HasFlag(ListDomainsFlags.Autostart))
        {
            return false;
        }

        if ((flags & (ListDomainsFlags.HasSnapshot | ListDomainsFlags.NoSnapshot)) is var s && s != 0
            && s != (ListDomainsFlags.HasSnapshot | ListDomainsFlags.NoSnapshot))
        {
            int snapshots = Call(RemoteProcedure.DomainSnapshotNum, w => WriteDomainFlags(w, domain, 0), IntRet);
            if ((snapshots > 0) != flags.HasFlag(ListDomainsFlags.HasSnapshot))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>DOMAIN_SNAPSHOT_NUM + DOMAIN_SNAPSHOT_LIST_NAMES with the same filter flags, then each looked up.</summary>
    private SnapshotIdentity[] ListSnapshotsTheOldWay(DomainIdentity domain, SnapshotListFlags flags)
    {
        int count = Call(RemoteProcedure.DomainSnapshotNum, w => WriteDomainFlags(w, domain, (uint)flags), IntRet);
        string[] names = count == 0 ? [] : Call(RemoteProcedure.DomainSnapshotListNames, w =>
        {
            RemoteWire.WriteDomain(w, domain);
            w.WriteInt32(count);
            w.WriteUInt32((uint)flags);
        }, NameListRet);
        return [.. names.Select(name => LookupSnapshot(domain, name))];
    }

    /// <summary>DOMAIN_SNAPSHOT_NUM_CHILDREN + DOMAIN_SNAPSHOT_LIST_CHILDREN_NAMES with the same flags, then each looked up.</summary>
    private SnapshotIdentity[] ListSnapshotChildrenTheOldWay(SnapshotIdentity snapshot, SnapshotListFlags flags)
    {
        int count = Call(RemoteProcedure.DomainSnapshotNumChildren, w => WriteSnapshotFlags(w, snapshot, (uint)flags), IntRet);
        string[] names = count == 0 ? [] : Call(RemoteProcedure.DomainSnapshotListChildrenNames, w =>
        {
            RemoteWire.WriteSnapshot(w, snapshot);
            w.WriteInt32(count);
            w.WriteUInt32((uint)flags);
        }, NameListRet);
        return [.. names.Select(name => LookupSnapshot(snapshot.Domain, name))];
    }
}
