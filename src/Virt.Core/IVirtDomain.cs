namespace Virt;

/// <summary>
/// A domain (virtual machine) handle (libvirt's <c>virDomainPtr</c>). The handle names the domain;
/// every call asks the driver, so it always reflects the current state.
/// </summary>
public interface IVirtDomain
{
    /// <summary>The connection the handle belongs to.</summary>
    IVirtConnection Connection { get; }

    /// <summary>The domain's name.</summary>
    string Name { get; }

    /// <summary>The domain's UUID.</summary>
    Guid Uuid { get; }

    /// <summary>The id while the domain runs, else null.</summary>
    int? Id { get; }

    /// <summary>Whether the domain is running or paused.</summary>
    bool IsActive { get; }

    /// <summary>Whether the domain has a persistent definition.</summary>
    bool IsPersistent { get; }

    /// <summary>Whether the persistent definition differs from the live one.</summary>
    bool IsUpdated { get; }

    /// <summary>Whether the domain starts automatically.</summary>
    bool Autostart { get; }

    /// <summary>Sets whether the domain starts automatically (libvirt's <c>virDomainSetAutostart</c>).</summary>
    /// <param name="autostart">True to start it automatically, false not to.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> for a transient domain.</exception>
    void SetAutostart(bool autostart);

    /// <summary>Starts the domain (libvirt's <c>virDomainCreateWithFlags</c>).</summary>
    /// <param name="flags">Options, for example <see cref="DomainStartFlags.Paused"/>.</param>
    /// <param name="cancellationToken">Cancels the start; a cancelled start leaves the domain off.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> when it already runs; <see cref="VirtErrorCode.OperationFailed"/> when the hypervisor fails to start;
    /// <see cref="VirtErrorCode.OperationAborted"/> when cancelled.</exception>
    void Start(DomainStartFlags flags = DomainStartFlags.None, CancellationToken cancellationToken = default);

    /// <summary>Asks the guest to shut down and returns without waiting.</summary>
    /// <param name="flags">How.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> when the domain is not running.</exception>
    void Shutdown(DomainShutdownFlags flags = DomainShutdownFlags.Default);

    /// <summary>Asks the guest to shut down and waits until it is off.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="flags">How.</param>
    /// <param name="cancellationToken">Cancels the wait (the request stays sent).</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationTimeout"/> when it is still on after <paramref name="timeout"/>.</exception>
    void ShutdownAndWait(TimeSpan timeout, DomainShutdownFlags flags = DomainShutdownFlags.Default, CancellationToken cancellationToken = default);

    /// <summary>Asks the guest to reboot and returns without waiting (libvirt's <c>virDomainReboot</c>).</summary>
    /// <param name="flags">How.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> when the domain is not running.</exception>
    void Reboot(DomainRebootFlags flags = DomainRebootFlags.Default);

    /// <summary>Stops the domain at once, like pulling the plug.</summary>
    /// <param name="flags">How.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> when the domain is not running.</exception>
    void Destroy(DomainDestroyFlags flags = DomainDestroyFlags.Default);

    /// <summary>Pauses the vCPUs.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> when the domain is not running.</exception>
    void Suspend();

    /// <summary>Resumes paused vCPUs.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> when the domain is not paused.</exception>
    void Resume();

    /// <summary>Removes the persistent definition; a running domain becomes transient.</summary>
    /// <param name="flags">What else to remove.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> when snapshot metadata or NVRAM remain and the flags do not allow removing them.</exception>
    void Undefine(DomainUndefineFlags flags = DomainUndefineFlags.None);

    /// <summary>The state and the reason for it.</summary>
    /// <returns>The state.</returns>
    DomainStateInfo GetState();

    /// <summary>Basic facts: state, memory, vCPUs, CPU time.</summary>
    /// <returns>The facts.</returns>
    DomainInfo GetInfo();

    /// <summary>The definition as libvirt domain XML.</summary>
    /// <param name="flags">Which definition.</param>
    /// <returns>The XML.</returns>
    string GetXmlDescription(DomainXmlFlags flags = DomainXmlFlags.None);

    /// <summary>Passes a command straight to the hypervisor's monitor (libvirt-qemu's <c>virDomainQemuMonitorCommand</c>).</summary>
    /// <param name="command">QMP JSON, or HMP text with <see cref="MonitorCommandFlags.Hmp"/>.</param>
    /// <param name="flags">Options.</param>
    /// <returns>The reply: QMP JSON, or HMP text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> when the domain is not running; <see cref="VirtErrorCode.OperationUnsupported"/> for drivers without a monitor.</exception>
    string MonitorCommand(string command, MonitorCommandFlags flags = MonitorCommandFlags.None);

    /// <summary>Opens the guest's console, or another character device, as a two-way byte stream (libvirt's
    /// <c>virDomainOpenConsole</c>): what the guest writes is read from the stream, what is written to it is the guest's
    /// input. Disposing the stream ends the session.</summary>
    /// <param name="device">The device's alias (for example <c>serial0</c> or <c>console0</c>), or null for the first console or serial port.</param>
    /// <param name="flags">Options.</param>
    /// <returns>The stream.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationInvalid"/> when the domain is not running;
    /// <see cref="VirtErrorCode.OperationFailed"/> when another session holds the console and <see cref="DomainConsoleFlags.Force"/> is not given;
    /// <see cref="VirtErrorCode.InternalError"/> when there is no such device or it is not a pty;
    /// <see cref="VirtErrorCode.NoSupport"/> for drivers without consoles.</exception>
    Stream OpenConsole(string? device = null, DomainConsoleFlags flags = DomainConsoleFlags.None);

    /// <summary>Creates a snapshot from libvirt domainsnapshot XML (libvirt's <c>virDomainSnapshotCreateXML</c>).</summary>
    /// <param name="xml">The snapshot XML; <c>&lt;domainsnapshot/&gt;</c> takes a snapshot with a generated name.</param>
    /// <param name="flags">Options.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Cancels the operation before it commits.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="xml"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.XmlError"/>, <see cref="VirtErrorCode.InvalidArg"/>, <see cref="VirtErrorCode.OperationInvalid"/>, <see cref="VirtErrorCode.OperationFailed"/>.</exception>
    IVirtDomainSnapshot CreateSnapshot(string xml, SnapshotCreateFlags flags = SnapshotCreateFlags.None, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Finds a snapshot by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when none has that name.</exception>
    IVirtDomainSnapshot LookupSnapshot(string name);

    /// <summary>Lists snapshots.</summary>
    /// <param name="flags">Filters and order.</param>
    /// <returns>The snapshots.</returns>
    IReadOnlyList<IVirtDomainSnapshot> ListSnapshots(SnapshotListFlags flags = SnapshotListFlags.None);

    /// <summary>Whether the domain has a current snapshot.</summary>
    bool HasCurrentSnapshot { get; }

    /// <summary>The current snapshot.</summary>
    /// <returns>The snapshot.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when the domain has no current snapshot.</exception>
    IVirtDomainSnapshot GetCurrentSnapshot();
}
