using Virt.Contract;

namespace Virt.Testing.Tests.Contract;

// The driver contract suite (tests/Shared/Contract) run against test:///default.

public sealed class TestDriverDomainLookupContract() : DomainLookupContract(new TestDefaultTarget());

public sealed class TestDriverDomainListFilterContract() : DomainListFilterContract(new TestDefaultTarget());

public sealed class TestDriverDomainLifecycleContract() : DomainLifecycleContract(new TestDefaultTarget());

public sealed class TestDriverDomainDefineContract() : DomainDefineContract(new TestDefaultTarget());

public sealed class TestDriverSnapshotTreeContract() : SnapshotTreeContract(new TestDefaultTarget());

public sealed class TestDriverSnapshotListContract() : SnapshotListContract(new TestDefaultTarget());

public sealed class TestDriverFlagCheckContract() : FlagCheckContract(new TestDefaultTarget());
