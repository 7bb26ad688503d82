using Microsoft.Extensions.Logging;
using Virt.Conf;
using Virt.Drivers;
using Virt.Drivers.Rules;

namespace Virt.Testing;

/// <summary>
/// The test driver behind one open connection (the <see cref="Drivers.VirtDriver"/> the façade calls; <see cref="TestDriver"/>
/// only registers its factory), over a shared <see cref="TestHost"/>. Every call takes the host's lock, so any number
/// of connections and threads may call at once. Messages and codes follow libvirt 9.0's test driver.
/// Partial so that the snapshot members can live in Snapshots/, using <see cref="Find"/>, the host
/// and <see cref="TestDomain.Snapshots"/>.
/// </summary>
internal sealed partial class TestDomainDriver : VirtDriver
{
    // The filters this driver answers: it has no managed save and no checkpoints, so it refuses those two groups
    // (libvirt's test driver accepts them and matches nothing).
    private const ListDomainsFlags ListFilters = DomainListFilter.Supported
        & ~(ListDomainsFlags.ManagedSave | ListDomainsFlags.NoManagedSave | ListDomainsFlags.HasCheckpoint | ListDomainsFlags.NoCheckpoint);

    private readonly TestHost _host;
    private readonly ILogger _logger;
    private int _disposed;

    public TestDomainDriver(TestHost host, ILoggerFactory loggerFactory)
    {
        _host = host;
        _logger = loggerFactory.CreateLogger(TestDriverLog.Category);
        lock (_host.Lock)
        {
            _host.Attach(this);
        }
    }

    public override string HypervisorType => "TEST";

    public override bool IsAlive => Volatile.Read(ref _disposed) == 0;

    public override Version GetHypervisorVersion() => new(0, 0, 2);

    /// <summary>Every connection to the host receives every domain's lifecycle events, as with libvirt's test driver.</summary>
    public override bool SupportsDomainEvents => true;

    /// <summary>Hands an event of the host to this connection's subscribers (see <see cref="TestHost.Publish"/>).</summary>
    internal void Deliver(DomainLifecycleEvent lifecycleEvent) => PublishDomainEvent(lifecycleEvent);

    /// <summary>Publishes a lifecycle event of one of the host's domains; call under the host's lock.</summary>
    internal void Publish(DomainLifecycleEvent lifecycleEvent) => _host.Publish(lifecycleEvent);

    public override DomainIdentity DefineDomain(string xml, DomainDefineFlags flags)
    {
        CheckFlags(flags, DomainDefineFlags.Validate, nameof(DefineDomain));
        var def = DomainDefinition.Parse(xml);
        if (def.Name.Contains('\n', StringComparison.Ordinal))
        {
            throw new VirtException(VirtErrorCode.XmlError, "invalid char in name: 0x0a");
        }

        TestDomainDefaults.Apply(def);
        DefineGeneratedIds.Fill(def);
        lock (_host.Lock)
        {
            var byUuid = _host.FindByUuid(def.Uuid!.Value);
            DomainDefineConflicts.Check(def.Name, def.Uuid.Value, byUuid?.AsDefined, _host.FindByName(def.Name)?.AsDefined);
            if (byUuid is null)
            {
                var created = new TestDomain(def);
                created.SetState(DomainState.Shutoff, (int)DomainShutoffReason.Unknown);
                _host.Add(created);
                TestDriverLog.DomainDefined(_logger, created.Name, replaced: false);
                Publish(DomainLifecycleEvent.Of(created.Identity, DomainEventDefinedDetail.Added));
                return created.Identity;
            }

            byUuid.Persistent = def;
            byUuid.Updated = byUuid.IsActive;
            TestDriverLog.DomainDefined(_logger, byUuid.Name, replaced: true);
            Publish(DomainLifecycleEvent.Of(byUuid.Identity, DomainEventDefinedDetail.Updated));
            return byUuid.Identity;
        }
    }

    public override DomainIdentity LookupDomainByName(string name)
    {
        lock (_host.Lock)
        {
            return (_host.FindByName(name)
                ?? throw new VirtException(VirtErrorCode.NoDomain, $"no domain with matching name '{name}'")).Identity;
        }
    }

    public override DomainIdentity LookupDomainByUuid(Guid uuid)
    {
        lock (_host.Lock)
        {
            return (_host.FindByUuid(uuid)
                ?? throw new VirtException(VirtErrorCode.NoDomain, $"no domain with matching uuid '{uuid:D}'")).Identity;
        }
    }

    public override DomainIdentity LookupDomainById(int id)
    {
        lock (_host.Lock)
        {
            return (_host.FindById(id)
                ?? throw new VirtException(VirtErrorCode.NoDomain, $"no domain with matching id {id}")).Identity;
        }
    }

    public override IReadOnlyList<DomainIdentity> ListAllDomains(ListDomainsFlags flags)
    {
        CheckFlags(flags, ListFilters, nameof(ListAllDomains));
        lock (_host.Lock)
        {
            return _host.Domains
                .Where(d => DomainListFilter.Matches(d.ListEntry, flags))
                .OrderBy(d => d.Id is null ? 1 : 0)
                .ThenBy(d => d.Id)
                .ThenBy(d => d.Name, StringComparer.Ordinal)
                .Select(d => d.Identity)
                .ToArray();
        }
    }

    public override void StartDomain(DomainIdentity domain, DomainStartFlags flags, CancellationToken cancellationToken)
    {
        CheckFlags(flags, DomainStartFlags.Paused | DomainStartFlags.AutoDestroy | DomainStartFlags.ForceBoot | DomainStartFlags.ResetNvram, nameof(StartDomain));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_host.Lock)
        {
            var d = Find(domain);
            if (d.IsActive)
            {
                throw new VirtException(VirtErrorCode.InternalError, $"Domain '{d.Name}' is already running");
            }

            d.Live = d.Persistent!.Clone();
            d.Id = _host.NextId++;
            d.Updated = false;

            // libvirt's test driver refuses PAUSED; these are the events libvirt's QEMU driver sends for it.
            Publish(DomainLifecycleEvent.Of(d.Identity, DomainEventStartedDetail.Booted));
            if (flags.HasFlag(DomainStartFlags.Paused))
            {
                ChangeState(d, DomainState.Paused, (int)DomainPausedReason.User);
                Publish(DomainLifecycleEvent.Of(d.Identity, DomainEventSuspendedDetail.Paused));
            }
            else
            {
                ChangeState(d, DomainState.Running, (int)DomainRunningReason.Booted);
            }

            if (flags.HasFlag(DomainStartFlags.AutoDestroy))
            {
                d.AutoDestroyOwner = this;
            }
        }
    }

    public override void ShutdownDomain(DomainIdentity domain, DomainShutdownFlags flags)
    {
        CheckFlags(flags, DomainShutdownFlags.AcpiPowerButton | DomainShutdownFlags.GuestAgent, nameof(ShutdownDomain));
        lock (_host.Lock)
        {
            var d = Find(domain);
            if (!d.IsActive)
            {
                throw new VirtException(VirtErrorCode.InternalError, $"domain '{d.Name}' not running");
            }

            // As the test driver does, the guest "powers off" and <on_poweroff> decides what follows (a restart sends
            // no event there).
            if (d.Current.OnPoweroff is "restart" or "rename-restart")
            {
                ChangeState(d, DomainState.Running, (int)DomainRunningReason.Booted);
                return;
            }

            Stop(d, DomainShutoffReason.Shutdown);
        }
    }

    public override void RebootDomain(DomainIdentity domain, DomainRebootFlags flags)
    {
        CheckFlags(flags, DomainRebootFlags.AcpiPowerButton | DomainRebootFlags.GuestAgent | DomainRebootFlags.Initctl | DomainRebootFlags.Signal
            | DomainRebootFlags.Paravirt, "testDomainReboot");
        lock (_host.Lock)
        {
            var d = Find(domain);
            if (!d.IsActive)
            {
                throw new VirtException(VirtErrorCode.OperationInvalid, "domain is not running");
            }

            // As the test driver does: <on_reboot> decides; a restart keeps the domain running and sends no event.
            if (d.Current.OnReboot is "destroy")
            {
                Stop(d, DomainShutoffReason.Shutdown);
                return;
            }

            if (d.Current.OnReboot is "restart" or "rename-restart")
            {
                ChangeState(d, DomainState.Running, (int)DomainRunningReason.Booted);
            }
        }
    }

    public override void DestroyDomain(DomainIdentity domain, DomainDestroyFlags flags)
    {
        CheckFlags(flags, DomainDestroyFlags.Graceful, nameof(DestroyDomain));
        lock (_host.Lock)
        {
            var d = Find(domain);
            if (!d.IsActive)
            {
                throw new VirtException(VirtErrorCode.OperationInvalid, "domain is not running");
            }

            Stop(d, DomainShutoffReason.Destroyed);
        }
    }

    public override void SuspendDomain(DomainIdentity domain)
    {
        lock (_host.Lock)
        {
            var d = Find(domain);
            if (d.State != DomainState.Running)
            {
                throw new VirtException(VirtErrorCode.InternalError, $"domain '{d.Name}' not running");
            }

            ChangeState(d, DomainState.Paused, (int)DomainPausedReason.User);
            Publish(DomainLifecycleEvent.Of(d.Identity, DomainEventSuspendedDetail.Paused));
        }
    }

    public override void ResumeDomain(DomainIdentity domain)
    {
        lock (_host.Lock)
        {
            var d = Find(domain);
            if (d.State != DomainState.Paused)
            {
                throw new VirtException(VirtErrorCode.InternalError, $"domain '{d.Name}' not paused");
            }

            ChangeState(d, DomainState.Running, (int)DomainRunningReason.Unpaused);
            Publish(DomainLifecycleEvent.Of(d.Identity, DomainEventResumedDetail.Unpaused));
        }
    }

    public override void UndefineDomain(DomainIdentity domain, DomainUndefineFlags flags)
    {
        CheckFlags(flags, DomainUndefineFlags.ManagedSave | DomainUndefineFlags.SnapshotsMetadata | DomainUndefineFlags.Nvram | DomainUndefineFlags.KeepNvram, nameof(UndefineDomain));
        DomainUndefineRules.CheckNvramFlags(flags);
        lock (_host.Lock)
        {
            var d = Find(domain);
            if (DomainUndefineRules.MustRemoveSnapshotMetadata(d.IsActive, d.SnapshotCount, flags))
            {
                d.Snapshots!.RemoveAll();
            }

            if (d.IsActive)
            {
                d.Persistent = null;
                d.Updated = false;
            }
            else
            {
                _host.Remove(d);
            }

            TestDriverLog.DomainUndefined(_logger, d.Name, d.IsActive);
            Publish(DomainLifecycleEvent.Of(d.Identity, DomainEventUndefinedDetail.Removed));
        }
    }

    public override DomainStateInfo GetDomainState(DomainIdentity domain)
    {
        lock (_host.Lock)
        {
            var d = Find(domain);
            return new DomainStateInfo(d.State, d.Reason);
        }
    }

    public override DomainInfo GetDomainInfo(DomainIdentity domain)
    {
        lock (_host.Lock)
        {
            var d = Find(domain);
            var def = d.Current;

            // Like libvirt's test driver, which reports the host's wall-clock time as CPU time.
            var cpuTime = DateTime.UtcNow - DateTime.UnixEpoch;
            return new DomainInfo(d.State, def.MemoryKiB, def.EffectiveCurrentMemoryKiB, def.CurrentVcpus ?? def.Vcpus, cpuTime);
        }
    }

    public override int? GetDomainId(DomainIdentity domain)
    {
        lock (_host.Lock)
        {
            return Find(domain).Id;
        }
    }

    public override bool IsDomainPersistent(DomainIdentity domain)
    {
        lock (_host.Lock)
        {
            return Find(domain).IsPersistent;
        }
    }

    public override bool IsDomainUpdated(DomainIdentity domain)
    {
        lock (_host.Lock)
        {
            return Find(domain).Updated;
        }
    }

    public override bool GetDomainAutostart(DomainIdentity domain)
    {
        lock (_host.Lock)
        {
            return Find(domain).Autostart;
        }
    }

    public override void SetDomainAutostart(DomainIdentity domain, bool autostart)
    {
        lock (_host.Lock)
        {
            // libvirt's test driver sets it even on a transient domain (its QEMU driver refuses).
            Find(domain).Autostart = autostart;
        }
    }

    public override string GetDomainXml(DomainIdentity domain, DomainXmlFlags flags)
    {
        CheckFlags(flags, DomainXmlFlags.Secure | DomainXmlFlags.Inactive | DomainXmlFlags.Migratable, nameof(GetDomainXml));
        lock (_host.Lock)
        {
            var d = Find(domain);
            if (flags.HasFlag(DomainXmlFlags.Inactive) && d.Persistent is { } persistent)
            {
                return persistent.ToXml(flags);
            }

            return d.IsActive && !flags.HasFlag(DomainXmlFlags.Inactive) ? d.Live!.ToXml(d.Id!.Value, flags) : d.Current.ToXml(flags);
        }
    }

    /// <summary>Finds the domain a handle names, or fails as libvirt does for a handle whose domain is gone.</summary>
    internal TestDomain Find(DomainIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return _host.FindByUuid(identity.Uuid)
            ?? throw new VirtException(VirtErrorCode.NoDomain, $"no domain with matching uuid '{identity.Uuid:D}' ({identity.Name})");
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_host.Lock)
        {
            _host.Detach(this);
            foreach (var d in _host.Domains.Where(d => d.AutoDestroyOwner == this).ToArray())
            {
                Stop(d, DomainShutoffReason.Destroyed);
            }
        }

        TestHost.ReleaseDefault(_host);
    }

    /// <summary>Sets a domain's state and logs the change; every state change of a running connection goes through here.</summary>
    internal void ChangeState(TestDomain d, DomainState state, int reason)
    {
        var from = d.State;
        d.SetState(state, reason);
        TestDriverLog.StateChanged(_logger, d.Name, from, state, reason);
    }

    /// <summary>Stops a domain (dropping it when transient) and, unless <paramref name="publish"/> is false, sends the
    /// Stopped event whose detail matches <paramref name="reason"/>.</summary>
    private void Stop(TestDomain d, DomainShutoffReason reason, bool publish = true)
    {
        ChangeState(d, DomainState.Shutoff, (int)reason);
        if (publish)
        {
            Publish(DomainLifecycleEvent.Of(d.Identity, StoppedDetail(reason)));
        }

        d.Id = null;
        d.Live = null;
        d.Updated = false;
        d.AutoDestroyOwner = null;
        if (!d.IsPersistent)
        {
            _host.Remove(d);
        }
    }

    private static DomainEventStoppedDetail StoppedDetail(DomainShutoffReason reason) => reason switch
    {
        DomainShutoffReason.Shutdown => DomainEventStoppedDetail.Shutdown,
        DomainShutoffReason.Destroyed => DomainEventStoppedDetail.Destroyed,
        DomainShutoffReason.FromSnapshot => DomainEventStoppedDetail.FromSnapshot,
        DomainShutoffReason.Crashed => DomainEventStoppedDetail.Crashed,
        DomainShutoffReason.Migrated => DomainEventStoppedDetail.Migrated,
        DomainShutoffReason.Saved => DomainEventStoppedDetail.Saved,
        _ => DomainEventStoppedDetail.Failed,
    };

    private static void CheckFlags<T>(T flags, T supported, string function)
        where T : struct, Enum => DriverFlags.CheckSupported(flags, supported, function);
}
