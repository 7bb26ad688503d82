using Virt.Contract;

namespace Virt.Qemu.Tests.Contract;

// The driver contract suite (tests/Shared/Contract) run against qemu:///embed with real QEMU processes.

public sealed class QemuDriverDomainLookupContract() : DomainLookupContract(new QemuEmbedTarget());

public sealed class QemuDriverDomainLifecycleContract() : DomainLifecycleContract(new QemuEmbedTarget());

public sealed class QemuDriverDomainDefineContract() : DomainDefineContract(new QemuEmbedTarget());

public sealed class QemuDriverDomainListFilterContract() : DomainListFilterContract(new QemuEmbedTarget());

public sealed class QemuDriverSnapshotTreeContract() : SnapshotTreeContract(new QemuEmbedTarget());

public sealed class QemuDriverSnapshotListContract() : SnapshotListContract(new QemuEmbedTarget());

public sealed class QemuDriverFlagCheckContract() : FlagCheckContract(new QemuEmbedTarget());
