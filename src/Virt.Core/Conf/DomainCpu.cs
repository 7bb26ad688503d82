namespace Virt.Conf;

/// <summary>The <c>&lt;cpu&gt;</c> element: the guest CPU model.</summary>
public sealed class DomainCpu
{
    /// <summary><c>custom</c>, <c>host-model</c>, <c>host-passthrough</c> or <c>maximum</c>; null when not stated.</summary>
    public string? Mode { get; set; }

    /// <summary>For custom mode: <c>minimum</c>, <c>exact</c> or <c>strict</c>.</summary>
    public string? Match { get; set; }

    /// <summary><c>none</c>, <c>partial</c> or <c>full</c>.</summary>
    public string? Check { get; set; }

    /// <summary><c>on</c> or <c>off</c>, for host-passthrough and maximum modes.</summary>
    public string? Migratable { get; set; }

    /// <summary>The CPU model name, for example <c>qemu64</c>.</summary>
    public string? Model { get; set; }

    /// <summary>The model's <c>fallback</c> attribute: <c>allow</c> or <c>forbid</c>.</summary>
    public string? ModelFallback { get; set; }

    /// <summary>The vCPU topology, or null when not stated.</summary>
    public DomainCpuTopology? Topology { get; set; }

    /// <summary>CPU features added or removed.</summary>
    public IList<DomainCpuFeature> Features { get; } = new List<DomainCpuFeature>();

    internal ElementExtras Extras { get; } = new();
}

/// <summary>A <c>&lt;feature policy='...' name='...'/&gt;</c> of the guest CPU.</summary>
/// <param name="Policy"><c>force</c>, <c>require</c>, <c>optional</c>, <c>disable</c> or <c>forbid</c>.</param>
/// <param name="Name">The feature's name, for example <c>x2apic</c>.</param>
public sealed record DomainCpuFeature(string Policy, string Name);

/// <summary>The <c>&lt;topology&gt;</c> of the guest CPU: sockets × dies × cores × threads vCPUs.</summary>
public sealed class DomainCpuTopology
{
    /// <summary>Sockets.</summary>
    public int Sockets { get; set; } = 1;

    /// <summary>Dies per socket.</summary>
    public int Dies { get; set; } = 1;

    /// <summary>Cores per die.</summary>
    public int Cores { get; set; } = 1;

    /// <summary>Threads per core.</summary>
    public int Threads { get; set; } = 1;
}
