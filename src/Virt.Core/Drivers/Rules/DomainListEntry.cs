namespace Virt.Drivers.Rules;

/// <summary>What <see cref="DomainListFilter"/> needs to know about one domain; every driver can supply it.</summary>
/// <param name="State">The domain's state; shut off and no-state count as inactive.</param>
/// <param name="IsPersistent">Whether the domain has a persistent definition.</param>
/// <param name="Autostart">Whether the domain starts with the host.</param>
/// <param name="HasManagedSave">Whether a managed save image exists.</param>
/// <param name="SnapshotCount">How many snapshots the domain has.</param>
/// <param name="CheckpointCount">How many checkpoints the domain has.</param>
internal readonly record struct DomainListEntry(
    DomainState State,
    bool IsPersistent,
    bool Autostart = false,
    bool HasManagedSave = false,
    int SnapshotCount = 0,
    int CheckpointCount = 0)
{
    /// <summary>Whether the domain runs (libvirt's <c>virDomainObjIsActive</c>).</summary>
    public bool IsActive => State.IsActive();
}
