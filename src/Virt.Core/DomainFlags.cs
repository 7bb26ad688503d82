namespace Virt;

/// <summary>Which domains <see cref="IVirtConnection.ListAllDomains"/> returns (libvirt's <c>virConnectListAllDomainsFlags</c>).
/// Flags within one group (active/inactive, persistent/transient, state, managed save, autostart, snapshot, checkpoint)
/// are ORed; groups are ANDed.</summary>
[Flags]
public enum ListDomainsFlags
{
    /// <summary>All domains.</summary>
    None = 0,
    /// <summary>Running or paused domains.</summary>
    Active = 1,
    /// <summary>Domains that are off.</summary>
    Inactive = 2,
    /// <summary>Domains with a persistent definition.</summary>
    Persistent = 4,
    /// <summary>Domains that exist only while they run.</summary>
    Transient = 8,
    /// <summary>Domains in the running state.</summary>
    Running = 16,
    /// <summary>Domains in the paused state.</summary>
    Paused = 32,
    /// <summary>Domains in the shut-off state.</summary>
    Shutoff = 64,
    /// <summary>Domains in any other state.</summary>
    Other = 128,
    /// <summary>Domains with a managed save image.</summary>
    ManagedSave = 256,
    /// <summary>Domains without a managed save image.</summary>
    NoManagedSave = 512,
    /// <summary>Domains that start when the host starts.</summary>
    Autostart = 1024,
    /// <summary>Domains that do not start when the host starts.</summary>
    NoAutostart = 2048,
    /// <summary>Domains with at least one snapshot.</summary>
    HasSnapshot = 4096,
    /// <summary>Domains without snapshots.</summary>
    NoSnapshot = 8192,
    /// <summary>Domains with at least one checkpoint.</summary>
    HasCheckpoint = 16384,
    /// <summary>Domains without checkpoints.</summary>
    NoCheckpoint = 32768,
}

/// <summary>Options for defining a domain (libvirt's <c>virDomainDefineFlags</c>).</summary>
[Flags]
public enum DomainDefineFlags
{
    /// <summary>No options.</summary>
    None = 0,
    /// <summary>Validate the XML strictly.</summary>
    Validate = 1,
}

/// <summary>Options for starting a domain (libvirt's <c>virDomainCreateFlags</c>).</summary>
[Flags]
public enum DomainStartFlags
{
    /// <summary>Start and run.</summary>
    None = 0,
    /// <summary>Start with the vCPUs paused.</summary>
    Paused = 1,
    /// <summary>Destroy the domain when the connection that started it is closed.</summary>
    AutoDestroy = 2,
    /// <summary>Boot afresh, discarding any managed save state.</summary>
    ForceBoot = 8,
    /// <summary>Re-initialise the UEFI NVRAM from its template before starting.</summary>
    ResetNvram = 32,
}

/// <summary>How to shut a domain down (libvirt's <c>virDomainShutdownFlagValues</c>).</summary>
[Flags]
public enum DomainShutdownFlags
{
    /// <summary>The driver's default method.</summary>
    Default = 0,
    /// <summary>Press the ACPI power button.</summary>
    AcpiPowerButton = 1,
    /// <summary>Ask the guest agent.</summary>
    GuestAgent = 2,
}

/// <summary>How to destroy a domain (libvirt's <c>virDomainDestroyFlagsValues</c>).</summary>
[Flags]
public enum DomainDestroyFlags
{
    /// <summary>Terminate at once.</summary>
    Default = 0,
    /// <summary>Ask the hypervisor process to stop before killing it.</summary>
    Graceful = 1,
}

/// <summary>What to remove with a domain's definition (libvirt's <c>virDomainUndefineFlagsValues</c>).</summary>
[Flags]
public enum DomainUndefineFlags
{
    /// <summary>Refuse if the domain has snapshot metadata or NVRAM.</summary>
    None = 0,
    /// <summary>Also remove managed save state.</summary>
    ManagedSave = 1,
    /// <summary>Also remove snapshot metadata (the disks' contents are left alone).</summary>
    SnapshotsMetadata = 2,
    /// <summary>Also remove the UEFI NVRAM file.</summary>
    Nvram = 4,
    /// <summary>Keep the UEFI NVRAM file.</summary>
    KeepNvram = 8,
}

/// <summary>Which definition to describe as XML (libvirt's <c>virDomainXMLFlags</c>).</summary>
[Flags]
public enum DomainXmlFlags
{
    /// <summary>The live definition when the domain runs, else the persistent one.</summary>
    None = 0,
    /// <summary>Include security-sensitive data.</summary>
    Secure = 1,
    /// <summary>The persistent (inactive) definition, even while the domain runs.</summary>
    Inactive = 2,
    /// <summary>Update the guest CPU description from the host.</summary>
    UpdateCpu = 4,
    /// <summary>XML suitable for migration.</summary>
    Migratable = 8,
}

/// <summary>Options for a monitor command passed straight to the hypervisor (libvirt-qemu's <c>virDomainQemuMonitorCommandFlags</c>).</summary>
[Flags]
public enum MonitorCommandFlags
{
    /// <summary>The command is QMP JSON.</summary>
    None = 0,
    /// <summary>The command is human-monitor (HMP) text.</summary>
    Hmp = 1,
}
