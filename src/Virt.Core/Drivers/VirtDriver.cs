namespace Virt.Drivers;

/// <summary>
/// The service provider interface a hypervisor driver implements: one instance per open connection.
/// Every member defaults to failing with <see cref="VirtErrorCode.OperationUnsupported"/>, so the
/// table can grow without breaking drivers, as libvirt's driver tables do. The façade has already
/// checked that the connection is open and that arguments are not null; a driver checks state and
/// throws <see cref="VirtException"/> for every failure a caller can act on.
/// </summary>
public abstract class VirtDriver : IDisposable
{
    private Action<DomainLifecycleEvent>? _eventSink;
    private Action<ConnectionClosedEventArgs>? _closeSink;

    /// <summary>The hypervisor's name as libvirt reports it, for example <c>QEMU</c> or <c>Test</c>.</summary>
    public abstract string HypervisorType { get; }

    /// <summary>Whether the connection still works.</summary>
    public virtual bool IsAlive => true;

    /// <summary>The host's name.</summary>
    /// <returns>The host name.</returns>
    public virtual string GetHostname() => Environment.MachineName;

    /// <summary>The hypervisor's version.</summary>
    /// <returns>The version.</returns>
    /// <exception cref="VirtException">The driver cannot tell.</exception>
    public virtual Version GetHypervisorVersion() => throw Unsupported(nameof(GetHypervisorVersion));

    /// <summary>Defines (or redefines) a persistent domain from XML.</summary>
    /// <param name="xml">libvirt domain XML.</param>
    /// <param name="flags">Options.</param>
    /// <returns>The domain defined.</returns>
    /// <exception cref="VirtException">The XML is invalid or conflicts with an existing domain.</exception>
    public virtual DomainIdentity DefineDomain(string xml, DomainDefineFlags flags) => throw Unsupported(nameof(DefineDomain));

    /// <summary>Finds a domain by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The domain.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomain"/> when none has that name.</exception>
    public virtual DomainIdentity LookupDomainByName(string name) => throw Unsupported(nameof(LookupDomainByName));

    /// <summary>Finds a domain by UUID.</summary>
    /// <param name="uuid">The UUID.</param>
    /// <returns>The domain.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomain"/> when none has that UUID.</exception>
    public virtual DomainIdentity LookupDomainByUuid(Guid uuid) => throw Unsupported(nameof(LookupDomainByUuid));

    /// <summary>Finds a running domain by its id.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The domain.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomain"/> when no running domain has that id.</exception>
    public virtual DomainIdentity LookupDomainById(int id) => throw Unsupported(nameof(LookupDomainById));

    /// <summary>Lists domains.</summary>
    /// <param name="flags">Filters.</param>
    /// <returns>The domains, in the driver's order.</returns>
    public virtual IReadOnlyList<DomainIdentity> ListAllDomains(ListDomainsFlags flags) => throw Unsupported(nameof(ListAllDomains));

    /// <summary>Starts a defined domain.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="flags">Options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public virtual void StartDomain(DomainIdentity domain, DomainStartFlags flags, CancellationToken cancellationToken) => throw Unsupported(nameof(StartDomain));

    /// <summary>Asks the guest to shut down and returns without waiting.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="flags">How.</param>
    public virtual void ShutdownDomain(DomainIdentity domain, DomainShutdownFlags flags) => throw Unsupported(nameof(ShutdownDomain));

    /// <summary>Waits until the domain is off. The default polls <see cref="GetDomainState"/>; a domain that is gone
    /// (<see cref="VirtErrorCode.NoDomain"/>, as a transient domain is once it stops) counts as off.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationTimeout"/> when it is still on after <paramref name="timeout"/>.</exception>
    public virtual void WaitForDomainShutoff(DomainIdentity domain, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var deadline = DateTime.UtcNow + timeout;
        while (!IsShutoffOrGone(domain))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new VirtException(VirtErrorCode.OperationTimeout,
                    $"domain '{domain.Name}' did not shut down within {timeout.TotalSeconds:0.###} s; destroy it to force it off");
            }

            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(50)))
            {
                throw new VirtException(VirtErrorCode.OperationAborted, $"waiting for domain '{domain.Name}' to shut down was cancelled");
            }
        }
    }

    private bool IsShutoffOrGone(DomainIdentity domain)
    {
        try
        {
            return GetDomainState(domain).State == DomainState.Shutoff;
        }
        catch (VirtException ex) when (ex.Code == VirtErrorCode.NoDomain)
        {
            return true;
        }
    }

    /// <summary>Stops a domain at once.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="flags">How.</param>
    public virtual void DestroyDomain(DomainIdentity domain, DomainDestroyFlags flags) => throw Unsupported(nameof(DestroyDomain));

    /// <summary>Asks the guest to reboot and returns without waiting.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="flags">How.</param>
    public virtual void RebootDomain(DomainIdentity domain, DomainRebootFlags flags) => throw Unsupported(nameof(RebootDomain));

    /// <summary>Sets whether the domain starts automatically.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="autostart">The new setting.</param>
    public virtual void SetDomainAutostart(DomainIdentity domain, bool autostart) => throw Unsupported(nameof(SetDomainAutostart));

    /// <summary>Opens a character device of a running domain as a two-way stream. The default fails as libvirt does for
    /// a driver without consoles (<see cref="VirtErrorCode.NoSupport"/>, naming <c>virDomainOpenConsole</c>).</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="device">The device's alias, or null for the first console or serial port.</param>
    /// <param name="flags">Options.</param>
    /// <returns>The stream; disposing it ends the session.</returns>
    public virtual Stream OpenDomainConsole(DomainIdentity domain, string? device, DomainConsoleFlags flags) =>
        throw new VirtException(VirtErrorCode.NoSupport, "virDomainOpenConsole");

    /// <summary>Pauses a running domain's vCPUs.</summary>
    /// <param name="domain">The domain.</param>
    public virtual void SuspendDomain(DomainIdentity domain) => throw Unsupported(nameof(SuspendDomain));

    /// <summary>Resumes a paused domain.</summary>
    /// <param name="domain">The domain.</param>
    public virtual void ResumeDomain(DomainIdentity domain) => throw Unsupported(nameof(ResumeDomain));

    /// <summary>Removes a domain's persistent definition.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="flags">What else to remove.</param>
    public virtual void UndefineDomain(DomainIdentity domain, DomainUndefineFlags flags) => throw Unsupported(nameof(UndefineDomain));

    /// <summary>The domain's state and its reason.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>The state.</returns>
    public virtual DomainStateInfo GetDomainState(DomainIdentity domain) => throw Unsupported(nameof(GetDomainState));

    /// <summary>Basic facts about the domain.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>The facts.</returns>
    public virtual DomainInfo GetDomainInfo(DomainIdentity domain) => throw Unsupported(nameof(GetDomainInfo));

    /// <summary>The domain's id while it runs.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>The id, or null when the domain is not running.</returns>
    public virtual int? GetDomainId(DomainIdentity domain) => throw Unsupported(nameof(GetDomainId));

    /// <summary>Whether the domain has a persistent definition.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>True when persistent.</returns>
    public virtual bool IsDomainPersistent(DomainIdentity domain) => throw Unsupported(nameof(IsDomainPersistent));

    /// <summary>Whether the domain's definition changes on restart.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>True when the persistent definition differs from the live one.</returns>
    public virtual bool IsDomainUpdated(DomainIdentity domain) => false;

    /// <summary>Whether the domain starts with the host (or the managing process).</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>True when autostart is set.</returns>
    public virtual bool GetDomainAutostart(DomainIdentity domain) => false;

    /// <summary>The domain as libvirt domain XML.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="flags">Which definition.</param>
    /// <returns>The XML.</returns>
    public virtual string GetDomainXml(DomainIdentity domain, DomainXmlFlags flags) => throw Unsupported(nameof(GetDomainXml));

    /// <summary>Passes a command straight to the hypervisor's monitor.</summary>
    /// <param name="domain">The running domain.</param>
    /// <param name="command">QMP JSON, or HMP text with <see cref="MonitorCommandFlags.Hmp"/>.</param>
    /// <param name="flags">Options.</param>
    /// <returns>The monitor's reply.</returns>
    public virtual string MonitorCommand(DomainIdentity domain, string command, MonitorCommandFlags flags) => throw Unsupported(nameof(MonitorCommand));

    /// <summary>Creates (or, with <see cref="SnapshotCreateFlags.Redefine"/>, redefines) a snapshot.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="xml">libvirt domainsnapshot XML.</param>
    /// <param name="flags">Options.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Cancels the operation before it commits.</param>
    /// <returns>The snapshot.</returns>
    public virtual SnapshotIdentity CreateSnapshot(DomainIdentity domain, string xml, SnapshotCreateFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
        => throw Unsupported(nameof(CreateSnapshot));

    /// <summary>Finds a snapshot by name.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="name">The snapshot's name.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.NoDomainSnapshot"/> when none has that name.</exception>
    public virtual SnapshotIdentity LookupSnapshot(DomainIdentity domain, string name) => throw Unsupported(nameof(LookupSnapshot));

    /// <summary>Lists a domain's snapshots.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="flags">Filters and order.</param>
    /// <returns>The snapshots.</returns>
    public virtual IReadOnlyList<SnapshotIdentity> ListSnapshots(DomainIdentity domain, SnapshotListFlags flags) => throw Unsupported(nameof(ListSnapshots));

    /// <summary>Lists a snapshot's children (or, with <see cref="SnapshotListFlags.Descendants"/>, descendants).</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="flags">Filters and order.</param>
    /// <returns>The snapshots.</returns>
    public virtual IReadOnlyList<SnapshotIdentity> ListSnapshotChildren(SnapshotIdentity snapshot, SnapshotListFlags flags) => throw Unsupported(nameof(ListSnapshotChildren));

    /// <summary>The domain's current snapshot.</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>The current snapshot, or null when there is none.</returns>
    public virtual SnapshotIdentity? GetCurrentSnapshot(DomainIdentity domain) => throw Unsupported(nameof(GetCurrentSnapshot));

    /// <summary>A snapshot's parent.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The parent, or null for a root.</returns>
    public virtual SnapshotIdentity? GetSnapshotParent(SnapshotIdentity snapshot) => throw Unsupported(nameof(GetSnapshotParent));

    /// <summary>Whether the snapshot is the domain's current one.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>True when current.</returns>
    public virtual bool IsCurrentSnapshot(SnapshotIdentity snapshot) => throw Unsupported(nameof(IsCurrentSnapshot));

    /// <summary>Whether the library keeps metadata for the snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>True when it has metadata.</returns>
    public virtual bool SnapshotHasMetadata(SnapshotIdentity snapshot) => throw Unsupported(nameof(SnapshotHasMetadata));

    /// <summary>The snapshot as libvirt domainsnapshot XML.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="flags">Options.</param>
    /// <returns>The XML.</returns>
    public virtual string GetSnapshotXml(SnapshotIdentity snapshot, SnapshotXmlFlags flags) => throw Unsupported(nameof(GetSnapshotXml));

    /// <summary>Reverts the domain to a snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="flags">The state to leave the domain in, and whether to force.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Cancels the operation before it commits.</param>
    public virtual void RevertToSnapshot(SnapshotIdentity snapshot, SnapshotRevertFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
        => throw Unsupported(nameof(RevertToSnapshot));

    /// <summary>Deletes a snapshot (and, by flags, its descendants or only its metadata).</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="flags">What to delete.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Cancels the operation before it commits.</param>
    public virtual void DeleteSnapshot(SnapshotIdentity snapshot, SnapshotDeleteFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
        => throw Unsupported(nameof(DeleteSnapshot));

    /// <summary>Whether the driver publishes domain lifecycle events (<see cref="PublishDomainEvent"/>). False by
    /// default: subscribing to a connection whose driver does not fails as libvirt's
    /// <c>virConnectDomainEventRegisterAny</c> does.</summary>
    public virtual bool SupportsDomainEvents => false;

    /// <summary>Called once per connection, when it gets its first lifecycle subscriber and before that subscriber is
    /// added: a driver that must ask a peer for events (the remote driver asks libvirtd) does it here. The default
    /// does nothing.</summary>
    /// <exception cref="VirtException">The events cannot be started; the subscription fails and a later one tries again.</exception>
    protected internal virtual void StartDomainEvents()
    {
    }

    /// <summary>Publishes a lifecycle event to the connection's subscribers. Only queues it: it never blocks, never
    /// runs subscriber code and never throws for a subscriber's failure, so it may be called under the driver's
    /// locks and from any thread; call it in the order the changes happened (the subscribers see that order).</summary>
    /// <param name="lifecycleEvent">The event.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lifecycleEvent"/> is null.</exception>
    protected void PublishDomainEvent(DomainLifecycleEvent lifecycleEvent)
    {
        ArgumentNullException.ThrowIfNull(lifecycleEvent);
        Volatile.Read(ref _eventSink)?.Invoke(lifecycleEvent);
    }

    /// <summary>Where <see cref="PublishDomainEvent"/> sends events: set by the façade that owns the driver.</summary>
    internal void AttachEventSink(Action<DomainLifecycleEvent>? sink) => Volatile.Write(ref _eventSink, sink);

    /// <summary>Tells the connection's <see cref="IVirtConnection.Closed"/> subscribers that the link to the peer closed.
    /// Never blocks and never runs subscriber code on the calling thread.</summary>
    /// <param name="reason">Why it closed.</param>
    /// <param name="error">The error calls in flight failed with.</param>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    protected void PublishConnectionClosed(ConnectionCloseReason reason, VirtException error)
    {
        var args = new ConnectionClosedEventArgs(reason, error);
        if (Volatile.Read(ref _closeSink) is { } sink)
        {
            _ = Task.Run(() => sink(args));
        }
    }

    /// <summary>Where <see cref="PublishConnectionClosed"/> sends its notice: set by the façade that owns the driver.</summary>
    internal void AttachCloseSink(Action<ConnectionClosedEventArgs>? sink) => Volatile.Write(ref _closeSink, sink);

    /// <summary>Releases the driver's resources. Running domains keep running unless started with auto-destroy.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The exception every unimplemented member throws.</summary>
    /// <param name="operation">The member's name.</param>
    /// <returns>An <see cref="VirtErrorCode.OperationUnsupported"/> exception.</returns>
    protected VirtException Unsupported(string operation) =>
        new(VirtErrorCode.OperationUnsupported, $"{operation} is not supported by the {HypervisorType} driver");
}
