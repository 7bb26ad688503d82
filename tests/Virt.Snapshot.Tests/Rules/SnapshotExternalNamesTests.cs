using Virt.Snapshot.Rules;
using static Virt.Snapshot.Tests.Rules.RuleFixtures;

namespace Virt.Snapshot.Tests.Rules;

public class SnapshotExternalNamesTests
{
    private static List<SnapshotDiskDefinition> Align(string name, Func<string, bool> isFile, params string[] disks) =>
        SnapshotDiskAlignment.Align(name, [], Disks(disks), SnapshotLocation.External, uniformInternal: true, isFile);

    [Test]
    public void AnExternalDiskWithoutAFileGetsItsPathWithoutSuffixDotSnapshotName()
    {
        var aligned = Align("snap1", _ => true, FileDisk("vda", "/i/vm.qcow2"), FileDisk("vdb", "/i.d/data"), FileDisk("vdc", "/i/x.tar.gz"));

        Assert.Multiple(() =>
        {
            Assert.That(aligned.Select(d => d.SourcePath), Is.EqualTo(new[] { "/i/vm.snap1", "/i.d/data.snap1", "/i/x.tar.snap1" }));
            Assert.That(aligned.Select(d => d.SourceType), Is.All.EqualTo("file"));
        });
    }

    [Test]
    public void NamesCannotBeGeneratedWithoutARegularSourceFileOrWhenTwoDisksWouldShareOne()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => Align("s", _ => true, "<disk type='network' device='disk'><target dev='vda' bus='virtio'/></disk>")).Message,
                Is.EqualTo("unsupported configuration: cannot generate external snapshot name for disk 'vda' without source"));
            Assert.That(Fails(() => Align("s", _ => false, FileDisk("vda", "/dev/null"))).Message,
                Is.EqualTo("unsupported configuration: source for disk 'vda' is not a regular file; refusing to generate external snapshot name"));
            Assert.That(Fails(() => Align("s", _ => true, FileDisk("vda", "/i/vm.qcow2"), FileDisk("vdb", "/i/vm.raw"))).Message,
                Is.EqualTo("unsupported configuration: cannot generate external snapshot name for disk 'vdb': collision with disk 'vda'"));
        });
    }

    [Test]
    public void ABlockTargetWithoutAPathCannotGetAGeneratedName()
    {
        var requested = new SnapshotDiskDefinition { Name = "vda", Snapshot = SnapshotLocation.External, SourceType = "block" };

        var ex = Fails(() => SnapshotDiskAlignment.Align("s", [requested], Disks(FileDisk("vda", "/i/vm.qcow2")), SnapshotLocation.External, true, _ => true));

        Assert.That(ex.Message, Is.EqualTo("unsupported configuration: cannot generate external snapshot name for disk 'vda' on a 'block' device"));
    }

    [Test]
    public void OnlyTheLastDotOfTheFileNameIsASuffix()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SnapshotExternalNames.WithoutSuffix("/a.b/c"), Is.EqualTo("/a.b/c"));
            Assert.That(SnapshotExternalNames.WithoutSuffix("/a/c.qcow2"), Is.EqualTo("/a/c"));
            Assert.That(SnapshotExternalNames.WithoutSuffix("/a/.hidden"), Is.EqualTo("/a/"));
        });
    }
}
