using Virt.Snapshot.Rules;
using static Virt.Snapshot.Tests.Rules.RuleFixtures;

namespace Virt.Snapshot.Tests.Rules;

public class SnapshotDiskAlignmentTests
{
    private static readonly Func<string, bool> EveryPathIsAFile = _ => true;

    private static List<SnapshotDiskDefinition> Align(IReadOnlyList<SnapshotDiskDefinition> requested, SnapshotLocation location, bool uniform, params string[] disks) =>
        SnapshotDiskAlignment.Align("s1", requested, Disks(disks), location, uniform, EveryPathIsAFile);

    [Test]
    public void EveryDomainDiskGetsAnEntryInDomainOrderWithReadOnlyAndEmptyDrivesLeftOut()
    {
        string[] disks =
        [
            FileDisk("vda", "/a.img"),
            FileDisk("hdc", null, device: "cdrom"),
            FileDisk("vdb", "/b.img").Replace("</disk>", "<readonly/></disk>", StringComparison.Ordinal),
            "<disk type='block' device='disk'><source dev='/dev/sdq'/><target dev='vdc' bus='virtio'/></disk>",
        ];

        var aligned = Align([], SnapshotLocation.Internal, uniform: true, disks);

        Assert.Multiple(() =>
        {
            Assert.That(aligned.Select(d => d.Name), Is.EqualTo(Disks(disks).Select(d => d.TargetDev)), "the domain's order");
            Assert.That(aligned.ToDictionary(d => d.Name, d => d.Snapshot), Is.EquivalentTo(new Dictionary<string, SnapshotLocation>
            {
                ["vda"] = SnapshotLocation.Internal, ["hdc"] = SnapshotLocation.No, ["vdb"] = SnapshotLocation.No, ["vdc"] = SnapshotLocation.Internal,
            }));
        });
    }

    [Test]
    public void ARequestMayNameADiskBySourcePathAndIsRenamedToItsTarget()
    {
        var aligned = Align([Disk("/b.img", SnapshotLocation.Internal)], SnapshotLocation.Internal, uniform: true, FileDisk("vda", "/a.img"), FileDisk("vdb", "/b.img"));

        Assert.That(aligned.Select(d => d.Name), Is.EqualTo(new[] { "vda", "vdb" }));
    }

    [Test]
    public void TheDomainsSnapshotAttributeDecidesWhatTheRequestLeavesOpen()
    {
        string[] disks = [FileDisk("vda", "/a.img", " snapshot='no'"), FileDisk("vdb", "/b.img", " snapshot='external'"), FileDisk("vdc", "/c.img")];

        var external = Align([Disk("vdb")], SnapshotLocation.External, uniform: true, disks);
        var notUniform = Align([], SnapshotLocation.Internal, uniform: false, disks);

        Assert.Multiple(() =>
        {
            Assert.That(external.Select(d => d.Snapshot), Is.EqualTo(new[] { SnapshotLocation.No, SnapshotLocation.External, SnapshotLocation.External }));
            Assert.That(notUniform.Select(d => d.Snapshot), Is.EqualTo(new[] { SnapshotLocation.No, SnapshotLocation.External, SnapshotLocation.Internal }));
            Assert.That(external.Select(d => d.SourcePath), Is.EqualTo(new[] { null, "/b.s1", "/c.s1" }));
        });
    }

    [Test]
    public void UniformInternalIgnoresADisksExternalSettingForARequestOnlyAndRefusesOtherModes()
    {
        string[] disks = [FileDisk("vda", "/a.img", " snapshot='external'"), FileDisk("vdb", "/b.img", " snapshot='no'")];

        var aligned = Align([Disk("vda"), Disk("vdb")], SnapshotLocation.Internal, uniform: true, disks);

        Assert.Multiple(() =>
        {
            Assert.That(aligned.Select(d => d.Snapshot), Is.EqualTo(new[] { SnapshotLocation.Internal, SnapshotLocation.No }));
            Assert.That(Fails(() => Align([Disk("vda", SnapshotLocation.No)], SnapshotLocation.Internal, true, disks)).Message,
                Is.EqualTo("unsupported configuration: disk 'vda' must use snapshot mode 'internal'"));
            Assert.That(Fails(() => Align([Disk("vda", SnapshotLocation.External)], SnapshotLocation.Internal, true, disks)).Message,
                Is.EqualTo("unsupported configuration: disk 'vda' must use snapshot mode 'internal'"));
            Assert.That(Align([Disk("vdb", SnapshotLocation.No)], SnapshotLocation.Internal, true, disks).Select(d => d.Snapshot),
                Is.EqualTo(new[] { SnapshotLocation.External, SnapshotLocation.No }), "no on a disk set to no; an unrequested disk keeps its setting, as in libvirt");
            Assert.DoesNotThrow(() => Align([Disk("vda", SnapshotLocation.No)], SnapshotLocation.Internal, false, disks), "not uniform");
        });
    }

    [Test]
    public void RequestsAreCheckedWithLibvirtsMessages()
    {
        string[] disks = [FileDisk("vda", "/a.img"), FileDisk("vdb", "/a.img")];

        Assert.Multiple(() =>
        {
            Assert.That(Fails(() => Align([Disk("vda"), Disk("vdb"), Disk("vdc")], SnapshotLocation.Internal, true, disks)).Message,
                Is.EqualTo("unsupported configuration: too many disk snapshot requests for domain"));
            Assert.That(Fails(() => Align([Disk("nope")], SnapshotLocation.Internal, true, disks)).Message,
                Is.EqualTo("unsupported configuration: no disk named 'nope'"));
            Assert.That(Fails(() => Align([Disk("/a.img")], SnapshotLocation.Internal, true, disks)).Message,
                Is.EqualTo("unsupported configuration: no disk named '/a.img'"), "two disks have that source: ambiguous");
            Assert.That(Fails(() => Align([Disk("vda"), Disk("vda")], SnapshotLocation.Internal, true, disks)).Message,
                Is.EqualTo("unsupported configuration: disk 'vda' specified twice"));
            Assert.That(Fails(() => Align([Disk("vda", SnapshotLocation.Internal, "/x.qcow2")], SnapshotLocation.Internal, false, disks)).Message,
                Is.EqualTo("unsupported configuration: file '/x.qcow2' for disk 'vda' requires use of external snapshot mode"));
        });
    }

    [Test]
    public void ARequestedExternalFileIsKeptAndStatesItsStorageTypeAsLibvirtWritesIt()
    {
        var aligned = Align([Disk("vda", SnapshotLocation.External, "/x.qcow2") with { DriverType = "qcow2" }], SnapshotLocation.External, true, FileDisk("vda", "/a.img"));

        Assert.Multiple(() =>
        {
            Assert.That(aligned[0], Is.EqualTo(new SnapshotDiskDefinition
            {
                Name = "vda", Snapshot = SnapshotLocation.External, SourceType = "file", SourcePath = "/x.qcow2", DriverType = "qcow2",
            }));
            Assert.That(new SnapshotDefinition { Name = "s1", Disks = aligned }.ToXml(), Does.Contain("<disk name='vda' snapshot='external' type='file'>"));
        });
    }

    [Test]
    public void ADomainWithoutDisksAlignsToNone()
    {
        Assert.That(Align([], SnapshotLocation.Internal, true), Is.Empty);
    }
}
