using Virt.Contract;

namespace Virt.Remote.Tests.Contract;

// The driver contract suite (tests/Shared/Contract) run against libvirtd's test:///default through Virt.Remote.

public sealed class RemoteDomainLookupContract() : DomainLookupContract(new RemoteTestTarget());

public sealed class RemoteDomainListFilterContract() : DomainListFilterContract(new RemoteTestTarget());

public sealed class RemoteDomainLifecycleContract() : DomainLifecycleContract(new RemoteTestTarget());

public sealed class RemoteDomainDefineContract() : DomainDefineContract(new RemoteTestTarget());

public sealed class RemoteSnapshotTreeContract() : SnapshotTreeContract(new RemoteTestTarget());

public sealed class RemoteSnapshotListContract() : SnapshotListContract(new RemoteTestTarget());

public sealed class RemoteFlagCheckContract() : FlagCheckContract(new RemoteTestTarget());
