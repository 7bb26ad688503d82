using Virt.Drivers;
using Virt.Qemu.Driver.Snapshots;
using Virt.Snapshot;

namespace Virt.Qemu.Driver;

/// <summary>The snapshot queries (a read-only look at the domain's snapshot metadata, which never waits for a job) and the
/// cancellation check every snapshot job makes before it changes anything.</summary>
internal sealed partial class QemuDomainDriver
{
    /// <summary>A snapshot operation whose token is cancelled before it changed anything ends here, as libvirt reports a job
    /// the client aborted, instead of pausing the guest only to find the token cancelled at the first QEMU job.</summary>
    private static void ThrowIfCancelled(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            throw new VirtException(VirtErrorCode.OperationAborted, "snapshot job: canceled by client");
        }
    }

    /// <inheritdoc/>
    public override SnapshotIdentity LookupSnapshot(DomainIdentity domain, string name) => new(domain, ReadSnapshots(domain).Get(name).Name!);

    /// <inheritdoc/>
    public override IReadOnlyList<SnapshotIdentity> ListSnapshots(DomainIdentity domain, SnapshotListFlags flags) =>
        Identities(domain, ReadSnapshots(domain).List(flags));

    /// <inheritdoc/>
    public override IReadOnlyList<SnapshotIdentity> ListSnapshotChildren(SnapshotIdentity snapshot, SnapshotListFlags flags)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Identities(snapshot.Domain, ReadSnapshots(snapshot.Domain).ListChildren(snapshot.Name, flags));
    }

    /// <inheritdoc/>
    public override SnapshotIdentity? GetCurrentSnapshot(DomainIdentity domain) =>
        ReadSnapshots(domain).CurrentName is { } current ? new(domain, current) : null;

    /// <inheritdoc/>
    public override SnapshotIdentity? GetSnapshotParent(SnapshotIdentity snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return ReadSnapshots(snapshot.Domain).GetParentName(snapshot.Name) is { } parent ? new(snapshot.Domain, parent) : null;
    }

    /// <inheritdoc/>
    public override bool IsCurrentSnapshot(SnapshotIdentity snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var tree = ReadSnapshots(snapshot.Domain);
        _ = tree.Get(snapshot.Name);
        return tree.CurrentName == snapshot.Name;
    }

    /// <inheritdoc/>
    public override bool SnapshotHasMetadata(SnapshotIdentity snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _ = ReadSnapshots(snapshot.Domain).Get(snapshot.Name);
        return true;
    }

    /// <inheritdoc/>
    public override string GetSnapshotXml(SnapshotIdentity snapshot, SnapshotXmlFlags flags)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        DriverFlags.CheckSupported(flags, SnapshotXmlFlags.Secure, "qemuDomainSnapshotGetXMLDesc");
        return ReadSnapshots(snapshot.Domain).Get(snapshot.Name).ToXml();
    }

    /// <summary>The domain's snapshots as its folder holds them now (the domain must exist).</summary>
    private SnapshotTree ReadSnapshots(DomainIdentity domain)
    {
        _ = Load(domain);
        return SnapshotMetadata.Read(_root.SnapshotFolder(domain.Name));
    }

    /// <summary>Opens the domain's snapshot metadata for changes; call under the domain's job.</summary>
    private SnapshotMetadata OpenSnapshots(string name) => SnapshotMetadata.Open(_root.SnapshotFolder(name), _loggerFactory);

    private static SnapshotIdentity[] Identities(DomainIdentity domain, IReadOnlyList<SnapshotDefinition> defs)
    {
        var result = new SnapshotIdentity[defs.Count];
        for (int i = 0; i < defs.Count; i++)
        {
            result[i] = new SnapshotIdentity(domain, defs[i].Name!);
        }

        return result;
    }
}
