namespace Virt.Snapshot;

/// <summary>How to read domainsnapshot XML.</summary>
[Flags]
public enum SnapshotParseFlags
{
    /// <summary>XML for a new snapshot: state, parent, creation time and domain are ignored; a missing name is
    /// generated from the creation time.</summary>
    None = 0,
    /// <summary>XML of an existing snapshot (redefine, or metadata read back): name, state and creation time are
    /// required; parent and domain are read.</summary>
    Redefine = 1,
}
