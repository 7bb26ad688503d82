using Virt.Conf;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.Snapshots;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>The revert's remembered XML steps answer what the step computes now: a changed input is computed afresh.</summary>
[TestFixture]
public sealed class RevertDefinitionMemoTests
{
    private static readonly QemuRuntimePaths Paths = new("/run/virt/d/qmp.sock", "/run/virt/d/qemu.pid", "/run/virt/d", Nvram: null);

    private static string Xml(int memoryKiB) =>
        $"<domain type='qemu'><name>d</name><uuid>4b3c0a8e-6f0e-4d41-9a55-0f8f7a1d4c43</uuid><memory>{memoryKiB}</memory><os><type>hvm</type></os></domain>";

    [Test]
    public void TheCommandLineFollowsALiveXmlThatChanged()
    {
        var memo = new RevertDefinitionMemo();
        memo.ArgumentsOf(Xml(65536), Paths);

        var changed = memo.ArgumentsOf(Xml(131072), Paths);

        Assert.That(changed, Is.EqualTo(QemuCommandLine.Build(DomainDefinition.Parse(Xml(131072)), Paths).Arguments));
        Assert.That(changed, Is.Not.EqualTo(QemuCommandLine.Build(DomainDefinition.Parse(Xml(65536)), Paths).Arguments));
    }

    [Test]
    public void TheLiveXmlFollowsTheDefinitionAndTheQemuId()
    {
        var memo = new RevertDefinitionMemo();
        var uuid = Guid.Parse("4b3c0a8e-6f0e-4d41-9a55-0f8f7a1d4c43");
        memo.LiveXmlOf(Xml(65536), uuid, 1, DomainDefinition.Parse(Xml(65536)));

        string otherId = memo.LiveXmlOf(Xml(65536), uuid, 2, DomainDefinition.Parse(Xml(65536)));
        string otherDefinition = memo.LiveXmlOf(Xml(131072), uuid, 2, DomainDefinition.Parse(Xml(131072)));

        Assert.Multiple(() =>
        {
            Assert.That(otherId, Is.EqualTo(DomainDefinition.Parse(Xml(65536)).ToXml(2)));
            Assert.That(otherDefinition, Is.EqualTo(DomainDefinition.Parse(Xml(131072)).ToXml(2)));
        });
    }
}
