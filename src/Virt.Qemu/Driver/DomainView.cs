using Virt.Conf;
using Virt.Drivers.Rules;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Driver;

/// <summary>One domain as its files show it at one moment.</summary>
internal sealed record DomainView
{
    private readonly Lazy<DomainDefinition?> _config;

    /// <summary>A view with the persistent definition already read.</summary>
    /// <param name="name">The domain's name.</param>
    /// <param name="uuid">The domain's UUID.</param>
    /// <param name="config">The persistent definition, or null for a transient domain.</param>
    /// <param name="status">The runtime status while QEMU runs, else null.</param>
    public DomainView(string name, Guid uuid, DomainDefinition? config, DomainStatus? status)
    {
        Name = name;
        Uuid = uuid;
        Status = status;
        IsPersistent = config is not null;
        _config = new Lazy<DomainDefinition?>(config);
    }

    /// <summary>A view of a persistent domain whose definition is read (by <paramref name="readConfig"/>) only if asked for:
    /// listing needs only the name and UUID.</summary>
    /// <param name="name">The domain's name.</param>
    /// <param name="uuid">The domain's UUID.</param>
    /// <param name="readConfig">Reads the persistent definition.</param>
    /// <param name="status">The runtime status while QEMU runs, else null.</param>
    public DomainView(string name, Guid uuid, Func<DomainDefinition?> readConfig, DomainStatus? status)
    {
        Name = name;
        Uuid = uuid;
        Status = status;
        IsPersistent = true;
        _config = new Lazy<DomainDefinition?>(readConfig);
    }

    /// <summary>The domain's name.</summary>
    public string Name { get; init; }

    /// <summary>The domain's UUID.</summary>
    public Guid Uuid { get; init; }

    /// <summary>The persistent definition, or null for a transient domain; read when first asked for if the view was
    /// made without it.</summary>
    public DomainDefinition? Config => _config.Value;

    /// <summary>The runtime status while QEMU runs, else null.</summary>
    public DomainStatus? Status { get; init; }

    /// <summary>Whether QEMU runs for the domain.</summary>
    public bool IsActive => Status is not null;

    /// <summary>Whether the domain has a persistent definition.</summary>
    public bool IsPersistent { get; }

    /// <summary>The domain as the define-conflict rule sees it.</summary>
    public DefinedDomain AsDefined => new(Name, Uuid, IsActive, IsPersistent);
}
