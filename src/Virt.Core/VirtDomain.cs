using Virt.Drivers;

namespace Virt;

/// <summary>The domain handle: a name and UUID plus the connection to ask.</summary>
internal sealed class VirtDomain : IVirtDomain
{
    private readonly VirtConnection _connection;

    public VirtDomain(VirtConnection connection, DomainIdentity identity)
    {
        _connection = connection;
        Identity = identity;
    }

    public DomainIdentity Identity { get; }

    public IVirtConnection Connection => _connection;

    public string Name => Identity.Name;

    public Guid Uuid => Identity.Uuid;

    public int? Id => Driver.GetDomainId(Identity);

    public bool IsActive => Driver.GetDomainState(Identity).State.IsActive();

    public bool IsPersistent => Driver.IsDomainPersistent(Identity);

    public bool IsUpdated => Driver.IsDomainUpdated(Identity);

    public bool Autostart => Driver.GetDomainAutostart(Identity);

    public bool HasCurrentSnapshot => Driver.GetCurrentSnapshot(Identity) is not null;

    /// <summary>The connection's driver; throws <see cref="ObjectDisposedException"/> once the connection is closed.</summary>
    internal VirtDriver Driver => _connection.Driver;

    public void Start(DomainStartFlags flags = DomainStartFlags.None, CancellationToken cancellationToken = default) =>
        Driver.StartDomain(Identity, flags, cancellationToken);

    public void Shutdown(DomainShutdownFlags flags = DomainShutdownFlags.Default) => Driver.ShutdownDomain(Identity, flags);

    public void ShutdownAndWait(TimeSpan timeout, DomainShutdownFlags flags = DomainShutdownFlags.Default, CancellationToken cancellationToken = default)
    {
        var driver = Driver;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        driver.ShutdownDomain(Identity, flags);
        driver.WaitForDomainShutoff(Identity, timeout, cancellationToken);
    }

    public void Destroy(DomainDestroyFlags flags = DomainDestroyFlags.Default) => Driver.DestroyDomain(Identity, flags);

    public void Reboot(DomainRebootFlags flags = DomainRebootFlags.Default) => Driver.RebootDomain(Identity, flags);

    public void SetAutostart(bool autostart) => Driver.SetDomainAutostart(Identity, autostart);

    public Stream OpenConsole(string? device = null, DomainConsoleFlags flags = DomainConsoleFlags.None) =>
        Driver.OpenDomainConsole(Identity, device, flags);

    public void Suspend() => Driver.SuspendDomain(Identity);

    public void Resume() => Driver.ResumeDomain(Identity);

    public void Undefine(DomainUndefineFlags flags = DomainUndefineFlags.None) => Driver.UndefineDomain(Identity, flags);

    public DomainStateInfo GetState() => Driver.GetDomainState(Identity);

    public DomainInfo GetInfo() => Driver.GetDomainInfo(Identity);

    public string GetXmlDescription(DomainXmlFlags flags = DomainXmlFlags.None) => Driver.GetDomainXml(Identity, flags);

    public string MonitorCommand(string command, MonitorCommandFlags flags = MonitorCommandFlags.None)
    {
        var driver = Driver;
        ArgumentNullException.ThrowIfNull(command);
        return driver.MonitorCommand(Identity, command, flags);
    }

    public IVirtDomainSnapshot CreateSnapshot(string xml, SnapshotCreateFlags flags = SnapshotCreateFlags.None, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var driver = Driver;
        ArgumentNullException.ThrowIfNull(xml);

        // libvirt's virDomainSnapshotCreateXML checks these before any driver runs (libvirt 9.0 has no REDEFINE/HALT check).
        DriverFlags.CheckRequired(flags, SnapshotCreateFlags.Current, "VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT",
            SnapshotCreateFlags.Redefine, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE");
        DriverFlags.CheckExclusive(flags, SnapshotCreateFlags.Redefine, "VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE",
            SnapshotCreateFlags.NoMetadata, "VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA");
        return Wrap(driver.CreateSnapshot(Identity, xml, flags, progress, cancellationToken));
    }

    public IVirtDomainSnapshot LookupSnapshot(string name)
    {
        var driver = Driver;
        ArgumentNullException.ThrowIfNull(name);
        return Wrap(driver.LookupSnapshot(Identity, name));
    }

    public IReadOnlyList<IVirtDomainSnapshot> ListSnapshots(SnapshotListFlags flags = SnapshotListFlags.None) =>
        Driver.ListSnapshots(Identity, flags).Select(Wrap).ToArray();

    public IVirtDomainSnapshot GetCurrentSnapshot() =>
        Wrap(Driver.GetCurrentSnapshot(Identity)
            ?? throw new VirtException(VirtErrorCode.NoDomainSnapshot, "the domain does not have a current snapshot"));

    public override string ToString() => Name;

    internal VirtDomainSnapshot Wrap(SnapshotIdentity identity) => new(this, identity);
}
