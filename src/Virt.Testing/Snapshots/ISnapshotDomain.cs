using Virt.Drivers;
using Virt.Snapshot;
using Virt.Snapshot.Rules;

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
    SnapshotTree Tree { get; }

    /// <summary>Whether the domain has a persistent definition.</summary>
    bool IsPersistent { get; }

    /// <summary>The domain's state and reason.</summary>
    DomainStateInfo State { get; }

    /// <summary>The live definition as domain XML, formatted as a snapshot records it (inactive layout, no id).</summary>
    string FormatDefinitionForSnapshot();

    /// <summary>Stops the domain after a snapshot taken with HALT (reason: from snapshot).</summary>
    void HaltAfterSnapshot();

    /// <summary>Carries out a revert plan's domain part (definitions and state); the caller moves the current
    /// snapshot afterwards.</summary>
    void ExecuteRevert(SnapshotRevertPlan plan);
}
