using Virt.Conf;
using Virt.Drivers;
using Virt.Snapshot;
using Virt.Snapshot.Rules;
using Virt.Testing.Snapshots;

namespace Virt.Testing;

/// <summary>The snapshot members of the test driver; they lock the host and call <see cref="TestSnapshotOperations"/>.</summary>
internal sealed partial class TestDomainDriver
{
    private readonly TestSnapshotOperations _snapshotOperations = new();

    public override SnapshotIdentity CreateSnapshot(DomainIdentity domain, string xml, SnapshotCreateFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(xml);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_host.Lock)
        {
            return _snapshotOperations.Create(SnapshotDomainOf(domain), xml, flags);
        }
    }

    public override SnapshotIdentity LookupSnapshot(DomainIdentity domain, string name)
    {
        lock (_host.Lock)
        {
            return _snapshotOperations.Lookup(SnapshotDomainOf(domain), name);
        }
    }

    public override IReadOnlyList<SnapshotIdentity> ListSnapshots(DomainIdentity domain, SnapshotListFlags flags)
    {
        lock (_host.Lock)
        {
            return _snapshotOperations.List(SnapshotDomainOf(domain), flags);
        }
    }

    public override IReadOnlyList<SnapshotIdentity> ListSnapshotChildren(SnapshotIdentity snapshot, SnapshotListFlags flags)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_host.Lock)
        {
            return _snapshotOperations.ListChildren(SnapshotDomainOf(snapshot.Domain), snapshot.Name, flags);
        }
    }

    public override SnapshotIdentity? GetCurrentSnapshot(DomainIdentity domain)
    {
        lock (_host.Lock)
        {
            return _snapshotOperations.Current(SnapshotDomainOf(domain));
        }
    }

    public override SnapshotIdentity? GetSnapshotParent(SnapshotIdentity snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_host.Lock)
        {
            return _snapshotOperations.Parent(SnapshotDomainOf(snapshot.Domain), snapshot.Name);
        }
    }

    public override bool IsCurrentSnapshot(SnapshotIdentity snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_host.Lock)
        {
            return _snapshotOperations.IsCurrent(SnapshotDomainOf(snapshot.Domain), snapshot.Name);
        }
    }

    public override bool SnapshotHasMetadata(SnapshotIdentity snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_host.Lock)
        {
            return _snapshotOperations.HasMetadata(SnapshotDomainOf(snapshot.Domain), snapshot.Name);
        }
    }

    public override string GetSnapshotXml(SnapshotIdentity snapshot, SnapshotXmlFlags flags)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_host.Lock)
        {
            return _snapshotOperations.GetXml(SnapshotDomainOf(snapshot.Domain), snapshot.Name, flags);
        }
    }

    public override void RevertToSnapshot(SnapshotIdentity snapshot, SnapshotRevertFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_host.Lock)
        {
            _snapshotOperations.Revert(SnapshotDomainOf(snapshot.Domain), snapshot.Name, flags);
        }
    }

    public override void DeleteSnapshot(SnapshotIdentity snapshot, SnapshotDeleteFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_host.Lock)
        {
            _snapshotOperations.Delete(SnapshotDomainOf(snapshot.Domain), snapshot.Name, flags);
        }
    }

    private SnapshotDomain SnapshotDomainOf(DomainIdentity identity) => new(this, Find(identity));

    /// <summary>Adapts a <see cref="TestDomain"/> for <see cref="TestSnapshotOperations"/>; used under the host's lock.</summary>
    private sealed class SnapshotDomain(TestDomainDriver connection, TestDomain domain) : ISnapshotDomain
    {
        public DomainIdentity Identity => domain.Identity;

        public SnapshotTree Tree
        {
            get
            {
                if (domain.Snapshots is not InMemorySnapshotStore store)
                {
                    store = new InMemorySnapshotStore();
                    domain.Snapshots = store;
                }

                return store.Tree;
            }
        }

        public bool IsPersistent => domain.IsPersistent;

        public DomainStateInfo State => new(domain.State, domain.Reason);

        public string FormatDefinitionForSnapshot() => domain.Current.ToXml();

        public void HaltAfterSnapshot() => connection.Stop(domain, DomainShutoffReason.FromSnapshot);

        public void ExecuteRevert(SnapshotRevertPlan plan)
        {
            // Parse everything first, so a definition that does not parse changes nothing.
            var persistent = plan.PersistentDefinitionXml is { } p ? DomainDefinition.Parse(p) : null;
            var live = plan.LiveDefinitionXml is { } l ? DomainDefinition.Parse(l) : null;
            bool wasActive = domain.IsActive;
            if (persistent is not null)
            {
                domain.Persistent = persistent;
            }

            if (plan.StopFirst && !plan.Start)
            {
                connection.Stop(domain, DomainShutoffReason.FromSnapshot, publish: false);
                PublishRevertEvents(wasActive);
                return;
            }

            // A stop followed by a start (a restart) is done in one step: stopping would drop a transient domain.
            if (plan.Start)
            {
                domain.Live = live ?? domain.Persistent!.Clone();
                domain.Id = connection._host.NextId++;
            }
            else if (live is not null)
            {
                domain.Live = live;
            }

            MarkUpdated();
            if (plan.TargetState is { } state)
            {
                connection.ChangeState(domain, state, plan.TargetReason);
            }

            PublishRevertEvents(wasActive);
        }

        /// <summary>The events libvirt 9.0's test driver sends for a revert (checked with virsh for every state, snapshot
        /// state and flag): Stopped when the domain ran, even when it keeps running; Started when it runs afterwards;
        /// Suspended when it ends paused; all "from snapshot".</summary>
        private void PublishRevertEvents(bool wasActive)
        {
            var identity = domain.Identity;
            if (wasActive)
            {
                connection.Publish(DomainLifecycleEvent.Of(identity, DomainEventStoppedDetail.FromSnapshot));
            }

            if (domain.IsActive)
            {
                connection.Publish(DomainLifecycleEvent.Of(identity, DomainEventStartedDetail.FromSnapshot));
                if (domain.State == DomainState.Paused)
                {
                    connection.Publish(DomainLifecycleEvent.Of(identity, DomainEventSuspendedDetail.FromSnapshot));
                }
            }
        }

        /// <summary>The persistent definition differs from the live one after a revert that kept the config.</summary>
        private void MarkUpdated() =>
            domain.Updated = domain.Persistent is { } persistent && domain.Live is { } live && persistent.ToXml() != live.ToXml();
    }
}
