using Moq;

namespace Virt.Cli.Tests;

/// <summary>Moq'd connection and domains for shell tests that need no driver.</summary>
internal sealed class FakeHandles
{
    public Mock<IVirtConnection> Connection { get; } = new();

    public FakeHandles(string hypervisorType = "QEMU", string uri = "qemu:///embed?root=/x")
    {
        Connection.SetupGet(c => c.Uri).Returns(uri);
        Connection.SetupGet(c => c.HypervisorType).Returns(hypervisorType);
        Connection.Setup(c => c.LookupDomainByName(It.IsAny<string>()))
            .Returns((string n) => throw new VirtException(VirtErrorCode.NoDomain, $"no domain with matching name '{n}'"));
        Connection.Setup(c => c.LookupDomainById(It.IsAny<int>()))
            .Returns((int i) => throw new VirtException(VirtErrorCode.NoDomain, $"no domain with matching id {i}"));
        Connection.Setup(c => c.LookupDomainByUuid(It.IsAny<Guid>()))
            .Throws(new VirtException(VirtErrorCode.NoDomain, "no domain with matching uuid"));
    }

    public Mock<IVirtDomain> AddDomain(string name, int? id, DomainState state = DomainState.Running, string? xml = null)
    {
        var domain = new Mock<IVirtDomain>();
        var uuid = Guid.NewGuid();
        domain.SetupGet(d => d.Name).Returns(name);
        domain.SetupGet(d => d.Uuid).Returns(uuid);
        domain.SetupGet(d => d.Id).Returns(id);
        domain.SetupGet(d => d.IsActive).Returns(id is not null);
        domain.SetupGet(d => d.IsPersistent).Returns(true);
        domain.SetupGet(d => d.Connection).Returns(Connection.Object);
        domain.Setup(d => d.GetState()).Returns(new DomainStateInfo(state, 1));
        domain.Setup(d => d.GetXmlDescription(It.IsAny<DomainXmlFlags>()))
            .Returns(xml ?? $"<domain type='kvm'><name>{name}</name><os><type arch='x86_64'>hvm</type></os></domain>\n");
        Connection.Setup(c => c.LookupDomainByName(name)).Returns(domain.Object);
        Connection.Setup(c => c.LookupDomainByUuid(uuid)).Returns(domain.Object);
        if (id is { } value)
        {
            Connection.Setup(c => c.LookupDomainById(value)).Returns(domain.Object);
        }

        return domain;
    }

    public CliRunner.Result Run(params string[] args) => CliRunner.RunShell(Connection.Object, args);
}
