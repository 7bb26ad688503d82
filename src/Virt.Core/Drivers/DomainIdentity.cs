namespace Virt.Drivers;

/// <summary>What identifies a domain between the façade and a driver.</summary>
/// <param name="Name">The domain's name, unique within a connection.</param>
/// <param name="Uuid">The domain's UUID.</param>
public sealed record DomainIdentity(string Name, Guid Uuid);

/// <summary>What identifies a snapshot between the façade and a driver.</summary>
/// <param name="Domain">The domain the snapshot belongs to.</param>
/// <param name="Name">The snapshot's name, unique within its domain.</param>
public sealed record SnapshotIdentity(DomainIdentity Domain, string Name);
