using Moq;
using Virt.Cli.Commands;

namespace Virt.Cli.Tests;

/// <summary>Snapshot commands over Moq'd handles; expected text is what virsh 9.0 printed for the same tree.</summary>
public sealed class SnapshotCommandTests
{
    private FakeHandles _fake = null!;
    private Mock<IVirtDomain> _test = null!;
    private FakeSnapshots _snaps = null!;

    [SetUp]
    public void SetUp()
    {
        _fake = new FakeHandles("QEMU");
        _test = _fake.AddDomain("test", 1);
        _snaps = new FakeSnapshots(_test);
    }

    private void BuildVirshTree()
    {
        // The tree of the "snapshots" golden case: s1 -> {s2, s3 -> s4 -> fromfile}.
        _snaps.Add("s1", null);
        _snaps.Add("s2", "s1");
        _snaps.Add("s3", "s1");
        _snaps.Add("s4", "s3");
        _snaps.Add("fromfile", "s4");
        _snaps.Current = "fromfile";
    }

    [Test]
    public void TreeMatchesVirsh()
    {
        BuildVirshTree();
        Assert.That(_fake.Run("snapshot-list test --tree").Stdout, Is.EqualTo(
            "s1\n  |\n  +- s2\n  +- s3\n      |\n      +- s4\n          |\n          +- fromfile\n            \n\n"));
    }

    [Test]
    public void TreeFromASnapshotShowsItAsRootWithItsChildren()
    {
        BuildVirshTree();
        Assert.Multiple(() =>
        {
            Assert.That(_fake.Run("snapshot-list test --from s1 --tree").Stdout, Is.EqualTo("s1\n  |\n  +- s2\n  +- s3\n    \n\n"));
            Assert.That(_fake.Run("snapshot-list test --from s3 --tree").Stdout, Is.EqualTo("s3\n  |\n  +- s4\n    \n\n"));
        });
    }

    [Test]
    public void TreeWithSeveralRootsPrintsEachRoot()
    {
        _snaps.Add("b", null);
        _snaps.Add("a", null);
        _snaps.Add("a1", "a");
        Assert.That(_fake.Run("snapshot-list test --tree").Stdout, Is.EqualTo("a\n  |\n  +- a1\n    \nb\n\n\n"));
    }

    [Test]
    public void TableSortsByNameAndShowsParents()
    {
        BuildVirshTree();
        string time = SnapshotListCommand.FormatTime(1700000000);
        Assert.That(_fake.Run("snapshot-list test --parent").Stdout, Is.EqualTo(
            " Name       Creation Time               State     Parent\n" +
            "----------------------------------------------------------\n" +
            $" fromfile   {time}   running   s4\n" +
            $" s1         {time}   running   \n" +
            $" s2         {time}   running   s1\n" +
            $" s3         {time}   running   s1\n" +
            $" s4         {time}   running   s3\n\n"));
    }

    [Test]
    public void FromListsDirectChildrenUnlessDescendants()
    {
        BuildVirshTree();
        Assert.Multiple(() =>
        {
            Assert.That(_fake.Run("snapshot-list test --from s1 --name").Stdout, Is.EqualTo("s2\ns3\n\n"));
            Assert.That(_fake.Run("snapshot-list test --from s1 --descendants --name").Stdout, Is.EqualTo("fromfile\ns2\ns3\ns4\n\n"));
            Assert.That(_fake.Run("snapshot-list test --current --descendants --name").Stdout, Is.EqualTo("\n"));
        });
    }

    [Test]
    public void InfoMatchesVirshLayout()
    {
        BuildVirshTree();
        Assert.That(_fake.Run("snapshot-info test s1").Stdout, Is.EqualTo(
            "Name:           s1\nDomain:         test\nCurrent:        no\nState:          running\nLocation:       internal\n" +
            "Parent:         -\nChildren:       2\nDescendants:    4\nMetadata:       yes\n\n"));
    }

    [Test]
    public void ExternalMemoryMakesLocationExternal()
    {
        _snaps.Add("ext", null, state: "shutoff", location: "external");
        Assert.That(_fake.Run("snapshot-info test --snapshotname ext").Stdout, Does.Contain("State:          shutoff\nLocation:       external\n"));
    }

    [Test]
    public void CurrentParentAndNamesPrintWithoutTheirOwnNewline()
    {
        BuildVirshTree();
        var result = _fake.Run("snapshot-current test --name; snapshot-parent test --current; snapshot-parent test s1");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("fromfile\ns4\n\n"));
            Assert.That(result.Stderr, Is.EqualTo("error: snapshot 's1' has no parent\n"));
        });
    }

    [Test]
    public void SettingCurrentRedefinesTheSnapshotAsCurrent()
    {
        BuildVirshTree();
        var result = _fake.Run("snapshot-current test s2");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("Snapshot s2 set as current\n"));
            _test.Verify(d => d.CreateSnapshot(It.Is<string>(x => x.Contains("<name>s2</name>")), SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current, null, default));
        });
    }

    [Test]
    public void CreateAsSendsTheBuiltXmlWithFlags()
    {
        var created = new Mock<IVirtDomainSnapshot>();
        created.SetupGet(s => s.Name).Returns("s9");
        _test.Setup(d => d.CreateSnapshot(It.IsAny<string>(), It.IsAny<SnapshotCreateFlags>(), null, default)).Returns(created.Object);
        var result = _fake.Run("snapshot-create-as test s9 'the desc' --disk-only --atomic --diskspec vda,snapshot=external,file=/o.qcow2");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("Domain snapshot s9 created\n"));
            _test.Verify(d => d.CreateSnapshot(
                "<domainsnapshot>\n  <name>s9</name>\n  <description>the desc</description>\n  <disks>\n" +
                "    <disk name='vda' snapshot='external'>\n      <source file='/o.qcow2'/>\n    </disk>\n  </disks>\n</domainsnapshot>\n",
                SnapshotCreateFlags.DiskOnly | SnapshotCreateFlags.Atomic, null, default));
        });
    }

    [Test]
    public void RevertAndDeletePassFlagsAndReportFailuresLikeVirsh()
    {
        BuildVirshTree();
        var s2 = _test.Object.LookupSnapshot("s2");
        Mock.Get(s2).Setup(s => s.Revert(SnapshotRevertFlags.Running | SnapshotRevertFlags.Force, null, default))
            .Throws(new VirtException(VirtErrorCode.OperationFailed, "disk vda lacks snapshot 's2'"));
        var result = _fake.Run("snapshot-revert test s2 --running --force; snapshot-delete test s3 --children --metadata; snapshot-delete test s1 --children-only");
        Assert.Multiple(() =>
        {
            Assert.That(result.Stderr, Is.EqualTo("error: Failed to revert snapshot s2\nerror: operation failed: disk vda lacks snapshot 's2'\n"));
            Assert.That(result.Stdout, Is.EqualTo("\nDomain snapshot s3 deleted\n\nDomain snapshot s1 children deleted\n\n"));
            Mock.Get(_test.Object.LookupSnapshot("s3")).Verify(s => s.Delete(SnapshotDeleteFlags.Children | SnapshotDeleteFlags.MetadataOnly, null, default));
        });
    }

    [Test]
    public void CreateFromFileNamesTheFile()
    {
        var created = new Mock<IVirtDomainSnapshot>();
        created.SetupGet(s => s.Name).Returns("fromfile");
        _test.Setup(d => d.CreateSnapshot(It.IsAny<string>(), SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current, null, default)).Returns(created.Object);
        string path = Path.Combine(Path.GetTempPath(), $"virt-snap-{Guid.NewGuid():N}.xml");
        File.WriteAllText(path, "<domainsnapshot><name>fromfile</name></domainsnapshot>");
        try
        {
            Assert.That(_fake.Run($"snapshot-create test {path} --redefine --current").Stdout, Is.EqualTo($"Domain snapshot fromfile created from '{path}'\n"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
