namespace Virt.Drivers.Rules;

/// <summary>A domain a driver already has, as <see cref="DomainDefineConflicts"/> sees it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Uuid">Its UUID.</param>
/// <param name="IsActive">Whether it runs.</param>
/// <param name="IsPersistent">Whether it has a persistent definition.</param>
internal readonly record struct DefinedDomain(string Name, Guid Uuid, bool IsActive, bool IsPersistent);
