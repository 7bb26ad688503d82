using Virt.Drivers;

namespace Virt;

/// <summary>The snapshot handle: a name plus the domain it belongs to.</summary>
internal sealed class VirtDomainSnapshot : IVirtDomainSnapshot
{
    private readonly VirtDomain _domain;

    public VirtDomainSnapshot(VirtDomain domain, SnapshotIdentity identity)
    {
        _domain = domain;
        Identity = identity;
    }

    public SnapshotIdentity Identity { get; }

    public IVirtDomain Domain => _domain;

    public string Name => Identity.Name;

    public bool IsCurrent => Driver.IsCurrentSnapshot(Identity);

    public bool HasMetadata => Driver.SnapshotHasMetadata(Identity);

    private VirtDriver Driver => _domain.Driver;

    public string GetXmlDescription(SnapshotXmlFlags flags = SnapshotXmlFlags.None) => Driver.GetSnapshotXml(Identity, flags);

    public IVirtDomainSnapshot GetParent() =>
        _domain.Wrap(Driver.GetSnapshotParent(Identity)
            ?? throw new VirtException(VirtErrorCode.NoDomainSnapshot, $"snapshot '{Name}' does not have a parent"));

    public IReadOnlyList<IVirtDomainSnapshot> ListChildren(SnapshotListFlags flags = SnapshotListFlags.None) =>
        Driver.ListSnapshotChildren(Identity, flags).Select(_domain.Wrap).ToArray();

    public void Revert(SnapshotRevertFlags flags = SnapshotRevertFlags.None, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var driver = Driver;

        // libvirt's virDomainRevertToSnapshot checks this before any driver runs.
        DriverFlags.CheckExclusive(flags, SnapshotRevertFlags.Running, "VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING",
            SnapshotRevertFlags.Paused, "VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED");
        driver.RevertToSnapshot(Identity, flags, progress, cancellationToken);
    }

    public void Delete(SnapshotDeleteFlags flags = SnapshotDeleteFlags.None, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var driver = Driver;

        // libvirt's virDomainSnapshotDelete checks this before any driver runs.
        DriverFlags.CheckExclusive(flags, SnapshotDeleteFlags.Children, "VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN",
            SnapshotDeleteFlags.ChildrenOnly, "VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY");
        driver.DeleteSnapshot(Identity, flags, progress, cancellationToken);
    }

    public override string ToString() => Name;
}
