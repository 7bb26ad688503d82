using Virt.Drivers;
using Virt.Snapshot;

namespace Virt.Testing.Snapshots;

/// <summary>
/// What the test driver's snapshot code needs from one of its domains. The driver's domain object implements it
/// through a small adapter, so snapshot logic stays out of the domain code.
/// </summary>
internal interface ISnapshotDomain
{
    /// <summary>The domain's name and UUID.</summary>
    DomainIdentity Identity { get; }

    /// <summary>The domain's snapshot tree.</summary>
    SnapshotTree Snapshots { get; }

    /// <summary>Whether the domain has a persistent definition.</summary>
    bool IsPersistent { get; }

    /// <summary>The domain's state and reason.</summary>
    DomainStateInfo State { get; }

    /// <summary>The live definition as domain XML, formatted as a snapshot records it (inactive layout, no id).</summary>
    string FormatDefinitionForSnapshot();

    /// <summary>Applies a snapshot's definitions. For a snapshot of a running domain (<paramref name="online"/>),
    /// <paramref name="domainXml"/> becomes the live definition and the persistent one is kept unless the snapshot
    /// recorded <paramref name="inactiveDomainXml"/> (libvirt's fix for reverts overwriting the config). For a
    /// snapshot of a shut-off domain, the persistent definition becomes <paramref name="inactiveDomainXml"/> or
    /// <paramref name="domainXml"/>.</summary>
    void RestoreDefinition(string domainXml, string? inactiveDomainXml, bool online);

    /// <summary>Moves the domain to a state: starts it (assigning an id) when it was off and the state is running
    /// or paused, stops it when the state is shut off.</summary>
    void SetState(DomainState state, int reason);
}
