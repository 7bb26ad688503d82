using Virt.Drivers;
using Virt.Remote.Protocol;
using Virt.Remote.Xdr;

namespace Virt.Remote.Driver;

internal sealed partial class RemoteDomainDriver
{
    private static readonly XdrDecoder<DomainIdentity> DomainRet = static (ref XdrReader r) => RemoteWire.ReadDomain(ref r).Identity;
    private static readonly XdrDecoder<bool> IntBoolRet = static (ref XdrReader r) => r.ReadInt32() != 0;

    /// <inheritdoc/>
    public override DomainIdentity DefineDomain(string xml, DomainDefineFlags flags) => flags == DomainDefineFlags.None
        ? Call(RemoteProcedure.DomainDefineXml, w => w.WriteString(xml), DomainRet)
        : Call(RemoteProcedure.DomainDefineXmlFlags, w =>
        {
            w.WriteString(xml);
            w.WriteUInt32((uint)flags);
        }, DomainRet);

    /// <inheritdoc/>
    public override DomainIdentity LookupDomainByName(string name) =>
        Call(RemoteProcedure.DomainLookupByName, w => w.WriteString(name), DomainRet);

    /// <inheritdoc/>
    public override DomainIdentity LookupDomainByUuid(Guid uuid) =>
        Call(RemoteProcedure.DomainLookupByUuid, w => RemoteWire.WriteUuid(w, uuid), DomainRet);

    /// <inheritdoc/>
    public override DomainIdentity LookupDomainById(int id) =>
        Call(RemoteProcedure.DomainLookupById, w => w.WriteInt32(id), DomainRet);

    /// <inheritdoc/>
    public override IReadOnlyList<DomainIdentity> ListAllDomains(ListDomainsFlags flags)
    {
        try
        {
            return Call(RemoteProcedure.ConnectListAllDomains, w =>
            {
                w.WriteInt32(1);
                w.WriteUInt32((uint)flags);
            }, static (ref XdrReader r) =>
            {
                var domains = RemoteWire.ReadArray(ref r, RemoteLimits.DomainListMax, "domain list", DomainRet);
                r.ReadUInt32();
                return domains;
            });
        }
        catch (VirtException ex) when (Virt.Remote.Rpc.RemoteError.IsUnknownProcedure(ex))
        {
            return ListDomainsTheOldWay(flags, ex);
        }
    }

    /// <inheritdoc/>
    public override void StartDomain(DomainIdentity domain, DomainStartFlags flags, CancellationToken cancellationToken)
    {
        if (flags == DomainStartFlags.None)
        {
            Call(RemoteProcedure.DomainCreate, w => RemoteWire.WriteDomain(w, domain), cancellationToken: cancellationToken);
            return;
        }

        Call(RemoteProcedure.DomainCreateWithFlags, w =>
        {
            RemoteWire.WriteDomain(w, domain);
            w.WriteUInt32((uint)flags);
        }, DomainRet, cancellationToken);
    }

    /// <inheritdoc/>
    public override void ShutdownDomain(DomainIdentity domain, DomainShutdownFlags flags)
    {
        if (flags == DomainShutdownFlags.Default)
        {
            Call(RemoteProcedure.DomainShutdown, w => RemoteWire.WriteDomain(w, domain));
            return;
        }

        Call(RemoteProcedure.DomainShutdownFlags, w => WriteDomainFlags(w, domain, (uint)flags));
    }

    /// <inheritdoc/>
    public override void DestroyDomain(DomainIdentity domain, DomainDestroyFlags flags)
    {
        if (flags == DomainDestroyFlags.Default)
        {
            Call(RemoteProcedure.DomainDestroy, w => RemoteWire.WriteDomain(w, domain));
            return;
        }

        Call(RemoteProcedure.DomainDestroyFlags, w => WriteDomainFlags(w, domain, (uint)flags));
    }

    /// <inheritdoc/>
    public override void RebootDomain(DomainIdentity domain, DomainRebootFlags flags) =>
        Call(RemoteProcedure.DomainReboot, w => WriteDomainFlags(w, domain, (uint)flags));

    /// <inheritdoc/>
    public override void SetDomainAutostart(DomainIdentity domain, bool autostart) =>
        Call(RemoteProcedure.DomainSetAutostart, w => WriteDomainFlags(w, domain, autostart ? 1u : 0u));

    /// <inheritdoc/>
    public override void SuspendDomain(DomainIdentity domain) => Call(RemoteProcedure.DomainSuspend, w => RemoteWire.WriteDomain(w, domain));

    /// <inheritdoc/>
    public override void ResumeDomain(DomainIdentity domain) => Call(RemoteProcedure.DomainResume, w => RemoteWire.WriteDomain(w, domain));

    /// <inheritdoc/>
    public override void UndefineDomain(DomainIdentity domain, DomainUndefineFlags flags)
    {
        if (flags == DomainUndefineFlags.None)
        {
            Call(RemoteProcedure.DomainUndefine, w => RemoteWire.WriteDomain(w, domain));
            return;
        }

        Call(RemoteProcedure.DomainUndefineFlags, w => WriteDomainFlags(w, domain, (uint)flags));
    }

    /// <inheritdoc/>
    public override DomainStateInfo GetDomainState(DomainIdentity domain) =>
        Call(RemoteProcedure.DomainGetState, w => WriteDomainFlags(w, domain, 0),
            static (ref XdrReader r) => new DomainStateInfo((DomainState)r.ReadInt32(), r.ReadInt32()));

    /// <inheritdoc/>
    public override DomainInfo GetDomainInfo(DomainIdentity domain) =>
        Call(RemoteProcedure.DomainGetInfo, w => RemoteWire.WriteDomain(w, domain), static (ref XdrReader r) =>
        {
            // unsigned char and unsigned short travel as 4-byte XDR units.
            var state = (DomainState)r.ReadUInt32();
            ulong maxMem = r.ReadUInt64();
            ulong memory = r.ReadUInt64();
            int vcpus = (int)r.ReadUInt32();
            ulong cpuTimeNs = r.ReadUInt64();
            return new DomainInfo(state, maxMem, memory, vcpus, TimeSpan.FromTicks((long)(cpuTimeNs / 100)));
        });

    /// <inheritdoc/>
    public override int? GetDomainId(DomainIdentity domain)
    {
        int id = Call(RemoteProcedure.DomainLookupByUuid, w => RemoteWire.WriteUuid(w, domain.Uuid), static (ref XdrReader r) => RemoteWire.ReadDomain(ref r).Id);
        return id < 0 ? null : id;
    }

    /// <summary>Whether the domain runs.</summary>
    public bool IsDomainActive(DomainIdentity domain) => Call(RemoteProcedure.DomainIsActive, w => RemoteWire.WriteDomain(w, domain), IntBoolRet);

    /// <inheritdoc/>
    public override bool IsDomainPersistent(DomainIdentity domain) => Call(RemoteProcedure.DomainIsPersistent, w => RemoteWire.WriteDomain(w, domain), IntBoolRet);

    /// <inheritdoc/>
    public override bool IsDomainUpdated(DomainIdentity domain) => Call(RemoteProcedure.DomainIsUpdated, w => RemoteWire.WriteDomain(w, domain), IntBoolRet);

    /// <inheritdoc/>
    public override bool GetDomainAutostart(DomainIdentity domain) => Call(RemoteProcedure.DomainGetAutostart, w => RemoteWire.WriteDomain(w, domain), IntBoolRet);

    /// <inheritdoc/>
    public override string GetDomainXml(DomainIdentity domain, DomainXmlFlags flags) =>
        Call(RemoteProcedure.DomainGetXmlDesc, w => WriteDomainFlags(w, domain, (uint)flags), static (ref XdrReader r) => r.ReadString());

    private static void WriteDomainFlags(XdrWriter writer, DomainIdentity domain, uint flags)
    {
        RemoteWire.WriteDomain(writer, domain);
        writer.WriteUInt32(flags);
    }
}
