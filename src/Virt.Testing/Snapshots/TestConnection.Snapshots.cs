using Virt.Conf;
using Virt.Drivers;
using Virt.Snapshot;
using Virt.Testing.Snapshots;

namespace Virt.Testing;

/// <summary>The snapshot members of the test driver; the logic is in <see cref="TestSnapshots"/>.</summary>
internal sealed partial class TestConnection
{
    private readonly TestSnapshots _snapshots = new();

    public override SnapshotIdentity CreateSnapshot(DomainIdentity domain, string xml, SnapshotCreateFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(xml);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_host.Lock)
        {
            return _snapshots.Create(Snapshots(domain), xml, flags);
        }
    }

    public override SnapshotIdentity LookupSnapshot(DomainIdentity domain, string name)
    {
        lock (_host.Lock)
        {
            return _snapshots.Lookup(Snapshots(domain), name);
        }
    }

    public override IReadOnlyList<SnapshotIdentity> ListSnapshots(DomainIdentity domain, SnapshotListFlags flags)
    {
        lock (_host.Lock)
        {
            return _snapshots.List(Snapshots(domain), flags);
        }
    }

    public override IReadOnlyList<SnapshotIdentity> ListSnapshotChildren(SnapshotIdentity snapshot, SnapshotListFlags flags)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_host.Lock)
        {
            return _snapshots.ListChildren(Snapshots(snapshot.Domain), snapshot.Name, flags);
        }
    }

    public override SnapshotIdentity? GetCurrentSnapshot(DomainIdentity domain)
    {
        lock (_host.Lock)
        {
            return _snapshots.Current(Snapshots(domain));
        }
    }

    public override SnapshotIdentity? GetSnapshotParent(SnapshotIdentity snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_host.Lock)
        {
            return _snapshots.Parent(Snapshots(snapshot.Domain), snapshot.Name);
        }
    }

    public override bool IsCurrentSnapshot(SnapshotIdentity snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_host.Lock)
        {
            return _snapshots.IsCurrent(Snapshots(snapshot.Domain), snapshot.Name);
        }
    }

    public override bool SnapshotHasMetadata(SnapshotIdentity snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_host.Lock)
        {
            return _snapshots.HasMetadata(Snapshots(snapshot.Domain), snapshot.Name);
        }
    }

    public override string GetSnapshotXml(SnapshotIdentity snapshot, SnapshotXmlFlags flags)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_host.Lock)
        {
            return _snapshots.GetXml(Snapshots(snapshot.Domain), snapshot.Name, flags);
        }
    }

    public override void RevertToSnapshot(SnapshotIdentity snapshot, SnapshotRevertFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_host.Lock)
        {
            _snapshots.Revert(Snapshots(snapshot.Domain), snapshot.Name, flags);
        }
    }

    public override void DeleteSnapshot(SnapshotIdentity snapshot, SnapshotDeleteFlags flags, IProgress<VirtProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_host.Lock)
        {
            _snapshots.Delete(Snapshots(snapshot.Domain), snapshot.Name, flags);
        }
    }

    private SnapshotDomain Snapshots(DomainIdentity identity) => new(this, Find(identity));

    /// <summary>Adapts a <see cref="TestDomain"/> for <see cref="TestSnapshots"/>; used under the host's lock.</summary>
    private sealed class SnapshotDomain(TestConnection connection, TestDomain domain) : ISnapshotDomain
    {
        private DomainDefinition? _restoredLive;

        public DomainIdentity Identity => domain.Identity;

        public SnapshotTree Snapshots
        {
            get
            {
                if (domain.Snapshots is not TestDomainSnapshots store)
                {
                    store = new TestDomainSnapshots();
                    domain.Snapshots = store;
                }

                return store.Tree;
            }
        }

        public bool IsPersistent => domain.IsPersistent;

        public DomainStateInfo State => new(domain.State, domain.Reason);

        public string FormatDefinitionForSnapshot() => domain.Current.ToXml();

        public void RestoreDefinition(string domainXml, string? inactiveDomainXml, bool online)
        {
            var recorded = DomainDefinition.Parse(domainXml);
            if (domain.IsPersistent && (inactiveDomainXml is not null || !online))
            {
                domain.Persistent = DomainDefinition.Parse(inactiveDomainXml ?? domainXml);
            }

            if (!online)
            {
                _restoredLive = null;
                return;
            }

            if (domain.IsActive)
            {
                domain.Live = recorded;
                MarkUpdated();
            }
            else
            {
                _restoredLive = recorded;
            }
        }

        public void SetState(DomainState state, int reason)
        {
            if (state == DomainState.Shutoff)
            {
                if (domain.IsActive)
                {
                    connection.Stop(domain, (DomainShutoffReason)reason);
                }

                return;
            }

            if (!domain.IsActive)
            {
                domain.Live = _restoredLive ?? domain.Persistent!.Clone();
                domain.Id = connection._host.NextId++;
                MarkUpdated();
            }

            connection.ChangeState(domain, state, reason);
        }

        /// <summary>The persistent definition differs from the live one after a revert that kept the config.</summary>
        private void MarkUpdated() =>
            domain.Updated = domain.Persistent is { } persistent && domain.Live is { } live && persistent.ToXml() != live.ToXml();
    }
}
