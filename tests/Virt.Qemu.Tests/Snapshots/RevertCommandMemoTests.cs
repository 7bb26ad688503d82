using Virt.Conf;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.Snapshots;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>The command line and images of a snapshot's definition, remembered for a repeated revert: the same inputs
/// parse nothing again, a changed definition, UUID or runtime folder is computed afresh.</summary>
[TestFixture]
public sealed class RevertCommandMemoTests
{
    private static readonly QemuRuntimePaths Paths = new("/run/virt/d/qmp.sock", "/run/virt/d/qemu.pid", "/run/virt/d", Nvram: null);
    private static readonly Guid Uuid = Guid.Parse("4b3c0a8e-6f0e-4d41-9a55-0f8f7a1d4c43");

    private static string Xml(string image) =>
        $"<domain type='qemu'><name>d</name><memory>65536</memory><os><type>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{image}'/><target dev='vda' bus='virtio'/></disk></devices></domain>";

    [Test]
    public void ARepeatedRevertParsesTheDefinitionOnce()
    {
        var memo = new RevertDefinitionMemo();
        int parsed = 0;
        DomainDefinition Parse()
        {
            parsed++;
            var def = DomainDefinition.Parse(Xml("/i/a.qcow2"));
            def.Uuid ??= Uuid;
            return def;
        }

        var first = memo.CommandOf(Xml("/i/a.qcow2"), Uuid, Paths, Parse);
        var second = memo.CommandOf(Xml("/i/a.qcow2"), Uuid, Paths, Parse);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.EqualTo(1));
            Assert.That(second.Command.Arguments, Is.EqualTo(first.Command.Arguments));
            Assert.That(second.Images.Select(i => (i.Name, i.Path, i.Node)), Is.EqualTo(new[] { ("vda", "/i/a.qcow2", "libvirt-1-format") }));
        });
    }

    [Test]
    public void AChangedDefinitionUuidOrFolderIsComputedAfresh()
    {
        var memo = new RevertDefinitionMemo();
        var other = Guid.Parse("0f0f0f0f-6f0e-4d41-9a55-0f8f7a1d4c43");
        var otherPaths = Paths with { QmpSocket = "/run/virt/e/qmp.sock" };
        memo.CommandOf(Xml("/i/a.qcow2"), Uuid, Paths, () => Parsed("/i/a.qcow2", Uuid));

        var image = memo.CommandOf(Xml("/i/b.qcow2"), Uuid, Paths, () => Parsed("/i/b.qcow2", Uuid));
        var uuid = memo.CommandOf(Xml("/i/b.qcow2"), other, Paths, () => Parsed("/i/b.qcow2", other));
        var folder = memo.CommandOf(Xml("/i/b.qcow2"), other, otherPaths, () => Parsed("/i/b.qcow2", other));

        Assert.Multiple(() =>
        {
            Assert.That(image.Images.Single().Path, Is.EqualTo("/i/b.qcow2"));
            Assert.That(image.Command.Arguments, Is.EqualTo(QemuCommandLine.Build(Parsed("/i/b.qcow2", Uuid), Paths).Arguments));
            Assert.That(uuid.Command.Arguments, Does.Contain(other.ToString("D")));
            Assert.That(folder.Command.Arguments, Is.EqualTo(QemuCommandLine.Build(Parsed("/i/b.qcow2", other), otherPaths).Arguments));
        });
    }

    private static DomainDefinition Parsed(string image, Guid uuid)
    {
        var def = DomainDefinition.Parse(Xml(image));
        def.Uuid ??= uuid;
        return def;
    }
}
