using Virt.Drivers;
using Virt.Remote.Protocol;
using Virt.Remote.Xdr;

namespace Virt.Remote.Driver;

internal sealed partial class RemoteDomainDriver
{
    private static readonly XdrDecoder<SnapshotIdentity> SnapshotRet = static (ref XdrReader r) => RemoteWire.ReadSnapshot(ref r);

    private static readonly XdrDecoder<SnapshotIdentity[]> SnapshotListRet = static (ref XdrReader r) =>
    {
        var snapshots = RemoteWire.ReadArray(ref r, RemoteLimits.SnapshotListMax, "snapshot list", SnapshotRet);
        r.ReadInt32();
        return snapshots;
    };

    /// <inheritdoc/>
    public override SnapshotIdentity CreateSnapshot(DomainIdentity domain, string xml, SnapshotCreateFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken) =>
        Call(RemoteProcedure.DomainSnapshotCreateXml, w =>
        {
            RemoteWire.WriteDomain(w, domain);
            w.WriteString(xml);
            w.WriteUInt32((uint)flags);
        }, SnapshotRet, cancellationToken);

    /// <inheritdoc/>
    public override SnapshotIdentity LookupSnapshot(DomainIdentity domain, string name) =>
        Call(RemoteProcedure.DomainSnapshotLookupByName, w =>
        {
            RemoteWire.WriteDomain(w, domain);
            w.WriteString(name);
            w.WriteUInt32(0);
        }, SnapshotRet);

    /// <inheritdoc/>
    public override IReadOnlyList<SnapshotIdentity> ListSnapshots(DomainIdentity domain, SnapshotListFlags flags)
    {
        try
        {
            return Call(RemoteProcedure.DomainListAllSnapshots, w =>
            {
                RemoteWire.WriteDomain(w, domain);
                w.WriteInt32(1);
                w.WriteUInt32((uint)flags);
            }, SnapshotListRet);
        }
        catch (VirtException ex) when (Virt.Remote.Rpc.RemoteError.IsUnknownProcedure(ex))
        {
            return ListSnapshotsTheOldWay(domain, flags);
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyList<SnapshotIdentity> ListSnapshotChildren(SnapshotIdentity snapshot, SnapshotListFlags flags)
    {
        try
        {
            return Call(RemoteProcedure.DomainSnapshotListAllChildren, w =>
            {
                RemoteWire.WriteSnapshot(w, snapshot);
                w.WriteInt32(1);
                w.WriteUInt32((uint)flags);
            }, SnapshotListRet);
        }
        catch (VirtException ex) when (Virt.Remote.Rpc.RemoteError.IsUnknownProcedure(ex))
        {
            return ListSnapshotChildrenTheOldWay(snapshot, flags);
        }
    }

    /// <inheritdoc/>
    public override SnapshotIdentity? GetCurrentSnapshot(DomainIdentity domain)
    {
        bool has = Call(RemoteProcedure.DomainHasCurrentSnapshot, w => WriteDomainFlags(w, domain, 0), IntBoolRet);
        if (!has)
        {
            return null;
        }

        try
        {
            return Call(RemoteProcedure.DomainSnapshotCurrent, w => WriteDomainFlags(w, domain, 0), SnapshotRet);
        }
        catch (VirtException ex) when (ex.Code == VirtErrorCode.NoDomainSnapshot)
        {
            // The current snapshot went away between the two calls.
            return null;
        }
    }

    /// <inheritdoc/>
    public override SnapshotIdentity? GetSnapshotParent(SnapshotIdentity snapshot)
    {
        try
        {
            return Call(RemoteProcedure.DomainSnapshotGetParent, w => WriteSnapshotFlags(w, snapshot, 0), SnapshotRet);
        }
        catch (VirtException ex) when (ex.Code == VirtErrorCode.NoDomainSnapshot && ex.Message.Contains("does not have a parent", StringComparison.Ordinal))
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public override bool IsCurrentSnapshot(SnapshotIdentity snapshot) =>
        Call(RemoteProcedure.DomainSnapshotIsCurrent, w => WriteSnapshotFlags(w, snapshot, 0), IntBoolRet);

    /// <inheritdoc/>
    public override bool SnapshotHasMetadata(SnapshotIdentity snapshot) =>
        Call(RemoteProcedure.DomainSnapshotHasMetadata, w => WriteSnapshotFlags(w, snapshot, 0), IntBoolRet);

    /// <inheritdoc/>
    public override string GetSnapshotXml(SnapshotIdentity snapshot, SnapshotXmlFlags flags) =>
        Call(RemoteProcedure.DomainSnapshotGetXmlDesc, w => WriteSnapshotFlags(w, snapshot, (uint)flags), static (ref XdrReader r) => r.ReadString());

    /// <inheritdoc/>
    public override void RevertToSnapshot(SnapshotIdentity snapshot, SnapshotRevertFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken) =>
        Call(RemoteProcedure.DomainRevertToSnapshot, w => WriteSnapshotFlags(w, snapshot, (uint)flags), cancellationToken: cancellationToken);

    /// <inheritdoc/>
    public override void DeleteSnapshot(SnapshotIdentity snapshot, SnapshotDeleteFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken) =>
        Call(RemoteProcedure.DomainSnapshotDelete, w => WriteSnapshotFlags(w, snapshot, (uint)flags), cancellationToken: cancellationToken);

    private static void WriteSnapshotFlags(XdrWriter writer, SnapshotIdentity snapshot, uint flags)
    {
        RemoteWire.WriteSnapshot(writer, snapshot);
        writer.WriteUInt32(flags);
    }
}
