using System.Text.Json.Serialization;
using Virt.Qemu.Driver.Process;

namespace Virt.Qemu.Driver.State;

/// <summary>What <c>status.json</c> records about a running domain, enough for any process to take it over.</summary>
internal sealed record DomainStatus
{
    /// <summary>The domain's name.</summary>
    public required string Name { get; init; }

    /// <summary>The domain's UUID.</summary>
    public required Guid Uuid { get; init; }

    /// <summary>The domain's id while it runs.</summary>
    public required int Id { get; init; }

    /// <summary>QEMU's pid.</summary>
    public required int Pid { get; init; }

    /// <summary>QEMU's start time (clock ticks since boot), so a reused pid is not taken for QEMU.</summary>
    public required ulong StartTime { get; init; }

    /// <summary>QEMU as a process, or null while the start has not recorded it yet.</summary>
    [JsonIgnore]
    public ProcessIdentity? Process => Pid == 0 ? null : new ProcessIdentity(Pid, StartTime);

    /// <summary>Whether QEMU is recorded and still that very process.</summary>
    [JsonIgnore]
    public bool IsQemuAlive => Process?.IsAlive == true;

    /// <summary>The QMP socket.</summary>
    public required string MonitorSocket { get; init; }

    /// <summary>The second QMP monitor socket, which one process at a time keeps open (null in status files written
    /// before QEMU had one).</summary>
    public string? EventSocket { get; init; }

    /// <summary>The live definition, with its runtime details.</summary>
    public required string LiveXml { get; init; }

    /// <summary>The definition QEMU was started from, without runtime details (null in status files written before it
    /// was recorded).</summary>
    public string? DefinitionXml { get; init; }

    /// <summary>Whether the domain has no persistent definition (it vanishes when it stops).</summary>
    public bool Transient { get; init; }

    /// <summary>The state this process last set (running or paused).</summary>
    public DomainState State { get; init; }

    /// <summary>The reason for <see cref="State"/>.</summary>
    public int Reason { get; init; }

    /// <summary>Why QEMU is being stopped, recorded before it is stopped: the reason the domain gets if the stopping
    /// process dies before it records the end itself. Null while nobody is stopping it (its end is then a crash).</summary>
    public DomainShutoffReason? Stopping { get; init; }

    /// <summary>Whether a reboot pressed the power button: when the guest has powered off, QEMU is reset and its vCPUs
    /// resumed instead of QEMU being ended (libvirt's fake reboot).</summary>
    public bool FakeReboot { get; init; }

    /// <summary>When QEMU was started.</summary>
    public DateTimeOffset Started { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DomainStatus))]
internal sealed partial class DomainStatusJsonContext : JsonSerializerContext;
