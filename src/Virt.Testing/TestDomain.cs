using Virt.Conf;
using Virt.Drivers;
using Virt.Drivers.Rules;

namespace Virt.Testing;

/// <summary>
/// One domain of a <see cref="TestHost"/>: its definitions, state and id. Guarded by the host's lock.
/// </summary>
internal sealed class TestDomain
{
    public TestDomain(DomainDefinition persistent)
    {
        Persistent = persistent;
        Name = persistent.Name;
        Uuid = persistent.Uuid ?? throw new ArgumentException("the definition needs a UUID", nameof(persistent));
    }

    public string Name { get; }

    public Guid Uuid { get; }

    public DomainIdentity Identity => new(Name, Uuid);

    /// <summary>The persistent (inactive) definition, or null for a transient domain.</summary>
    public DomainDefinition? Persistent { get; set; }

    /// <summary>The running definition while the domain is active, else null.</summary>
    public DomainDefinition? Live { get; set; }

    public DomainState State { get; set; } = DomainState.Shutoff;

    public int Reason { get; set; }

    public int? Id { get; set; }

    public bool IsActive => State.IsActive();

    public bool IsPersistent => Persistent is not null;

    /// <summary>Whether the persistent definition was replaced while the domain ran.</summary>
    public bool Updated { get; set; }

    public bool Autostart { get; set; }

    /// <summary>The connection that started the domain with <see cref="DomainStartFlags.AutoDestroy"/> and destroys it on close; null once it stops.</summary>
    public TestDomainDriver? AutoDestroyOwner { get; set; }

    /// <summary>The definition that describes the domain now: the live one while active, else the persistent one.</summary>
    public DomainDefinition Current => Live ?? Persistent!;

    /// <summary>The domain's snapshots, once the snapshot support attaches a store; null until then.</summary>
    public ITestSnapshotStore? Snapshots { get; set; }

    public int SnapshotCount => Snapshots?.Count ?? 0;

    /// <summary>What the domain list filter looks at.</summary>
    public DomainListEntry ListEntry => new(State, IsPersistent, Autostart, SnapshotCount: SnapshotCount);

    /// <summary>What the define-conflict rule looks at.</summary>
    public DefinedDomain AsDefined => new(Name, Uuid, IsActive, IsPersistent);

    public void SetState(DomainState state, int reason)
    {
        State = state;
        Reason = reason;
    }
}

/// <summary>The per-domain snapshot store the snapshot support attaches to a <see cref="TestDomain"/>.</summary>
internal interface ITestSnapshotStore
{
    /// <summary>How many snapshots the domain has.</summary>
    int Count { get; }

    /// <summary>Forgets every snapshot (undefine with <see cref="DomainUndefineFlags.SnapshotsMetadata"/>).</summary>
    void RemoveAll();
}
