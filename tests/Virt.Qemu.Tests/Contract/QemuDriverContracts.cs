using Virt.Contract;

namespace Virt.Qemu.Tests.Contract;

// The driver contract suite (tests/Shared/Contract) run against qemu:///embed with real QEMU processes.

public sealed class QemuDriverDomainLookupContract() : DomainLookupContract(new QemuEmbedTarget());

public sealed class QemuDriverDomainLifecycleContract() : DomainLifecycleContract(new QemuEmbedTarget());

public sealed class QemuDriverDomainDefineContract() : DomainDefineContract(new QemuEmbedTarget());

public sealed class QemuDriverDomainListFilterContract() : DomainListFilterContract(new QemuEmbedTarget());
