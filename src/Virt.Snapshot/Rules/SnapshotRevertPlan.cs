namespace Virt.Snapshot.Rules;

/// <summary>
/// What reverting a domain to a snapshot does, computed by <see cref="SnapshotRevertPlanner"/> before anything
/// changes, for a driver to carry out in this order: replace the persistent definition
/// (<see cref="PersistentDefinitionXml"/>), stop the domain (<see cref="StopFirst"/>), make
/// <see cref="LiveDefinitionXml"/> live (starting the domain when <see cref="Start"/>), load the memory state
/// (<see cref="LoadsMemory"/>), set <see cref="TargetState"/>, and make the snapshot current.
/// </summary>
internal sealed record SnapshotRevertPlan
{
    /// <summary>The snapshot reverted to.</summary>
    public required SnapshotDefinition Snapshot { get; init; }

    /// <summary>The definition the domain runs with afterwards (the snapshot's <c>&lt;domain&gt;</c>), or null when
    /// the domain is off afterwards or the snapshot has no domain (a forced revert).</summary>
    public string? LiveDefinitionXml { get; init; }

    /// <summary>The new persistent definition, or null to keep the one the domain has (DESIGN.md rule 3, libvirt's
    /// fix for reverts overwriting the config: a snapshot of a running domain replaces it only with the
    /// <c>&lt;inactiveDomain&gt;</c> it recorded; a snapshot of a shut-off domain replaces it with its
    /// <c>&lt;domain&gt;</c>). Always null for a transient domain.</summary>
    public string? PersistentDefinitionXml { get; init; }

    /// <summary>Whether the running domain is stopped first: it ends shut off, or it must be restarted to take
    /// the definition of a snapshot taken while it was off.</summary>
    public bool StopFirst { get; init; }

    /// <summary>Whether the domain is started (after <see cref="StopFirst"/>, if any) with
    /// <see cref="LiveDefinitionXml"/>, or with the persistent definition when that is null.</summary>
    public bool Start { get; init; }

    /// <summary>Whether the snapshot's memory state is loaded (a snapshot of a running or paused domain).</summary>
    public bool LoadsMemory => Snapshot.IsOnline;

    /// <summary>The domain's state afterwards, or null to leave it as it is (an inactive domain reverted to a
    /// shut-off snapshot keeps its shut-off reason).</summary>
    public DomainState? TargetState { get; init; }

    /// <summary>The reason for <see cref="TargetState"/> (a <c>...FromSnapshot</c> reason).</summary>
    public int TargetReason { get; init; }
}
