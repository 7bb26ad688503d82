namespace Virt;

/// <summary>A domain snapshot handle (libvirt's <c>virDomainSnapshotPtr</c>).</summary>
public interface IVirtDomainSnapshot
{
    /// <summary>The domain the snapshot belongs to.</summary>
    IVirtDomain Domain { get; }

    /// <summary>The snapshot's name.</summary>
    string Name { get; }

    /// <summary>Whether this is the domain's current snapshot.</summary>
    bool IsCurrent { get; }

    /// <summary>Whether the library keeps metadata for it.</summary>
    bool HasMetadata { get; }

    /// <summary>The snapshot as libvirt domainsnapshot XML.</summary>
    /// <param name="flags">Options.</param>
    /// <returns>The XML.</returns>
    string GetXmlDescription(SnapshotXmlFlags flags = SnapshotXmlFlags.None);

    /// <summary>The parent snapshot.</summary>
    /// <returns>The parent.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when the snapshot is a root.</exception>
    IVirtDomainSnapshot GetParent();

    /// <summary>Lists children, or all descendants with <see cref="SnapshotListFlags.Descendants"/>.</summary>
    /// <param name="flags">Filters and order.</param>
    /// <returns>The snapshots.</returns>
    IReadOnlyList<IVirtDomainSnapshot> ListChildren(SnapshotListFlags flags = SnapshotListFlags.None);

    /// <summary>Reverts the domain to this snapshot.</summary>
    /// <param name="flags">The state to leave the domain in, and whether to force.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Cancels the operation before it commits.</param>
    /// <exception cref="VirtException">The revert failed; the domain, its disks and the snapshot metadata are as before.</exception>
    void Revert(SnapshotRevertFlags flags = SnapshotRevertFlags.None, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the snapshot (and, by flags, its descendants or only its metadata).</summary>
    /// <param name="flags">What to delete.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Cancels the operation before it commits.</param>
    /// <exception cref="VirtException">The delete failed; the tree stays consistent.</exception>
    void Delete(SnapshotDeleteFlags flags = SnapshotDeleteFlags.None, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default);
}
