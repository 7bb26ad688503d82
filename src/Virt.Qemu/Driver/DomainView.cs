using Virt.Conf;
using Virt.Drivers.Rules;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Driver;

/// <summary>One domain as its files show it at one moment.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="Uuid">The domain's UUID.</param>
/// <param name="Config">The persistent definition, or null for a transient domain.</param>
/// <param name="Status">The runtime status while QEMU runs, else null.</param>
internal sealed record DomainView(string Name, Guid Uuid, DomainDefinition? Config, DomainStatus? Status)
{
    /// <summary>Whether QEMU runs for the domain.</summary>
    public bool IsActive => Status is not null;

    /// <summary>Whether the domain has a persistent definition.</summary>
    public bool IsPersistent => Config is not null;

    /// <summary>The domain as the define-conflict rule sees it.</summary>
    public DefinedDomain AsDefined => new(Name, Uuid, IsActive, IsPersistent);
}
