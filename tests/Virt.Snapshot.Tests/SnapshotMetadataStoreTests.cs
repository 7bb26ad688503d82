using System.Runtime.Versioning;
using Virt.Snapshot.Store;
using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

[SupportedOSPlatform("linux")]
public class SnapshotMetadataStoreTests
{
    private string _root = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("virt-snap-store-").FullName;
        _dir = Path.Combine(_root, "domains", "vm", "snapshots");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void TreeOperationsThroughTheStoreReloadIdenticallyWithPrivatePermissions()
    {
        var store = new SnapshotMetadataStore(_dir);
        var tree = new SnapshotTree();
        foreach (var def in Sample().List())
        {
            tree.Add(def, false, store);
        }

        tree.SetCurrent("c", store);
        tree.Delete("b", SnapshotDeleteFlags.None, store);
        tree.Redefine(Def("e", "c") with { Description = "moved" }, SnapshotCreateFlags.Current, store);

        var loaded = store.Load();
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Diagnostics, Is.Empty);
            Assert.That(Shape(loaded.Tree), Is.EqualTo(Shape(tree)));
            Assert.That(Shape(loaded.Tree), Is.EqualTo("a<- c<a e<c d<a f<- g<f current=e"));
            Assert.That(loaded.Tree.Get("e").ToXml(), Is.EqualTo(tree.Get("e").ToXml()));
            Assert.That(File.ReadAllText(Path.Combine(_dir, "current")), Is.EqualTo("e\n"));
            Assert.That(File.GetUnixFileMode(_dir), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(File.GetUnixFileMode(Path.Combine(_dir, "c.xml")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "a.xml", "c.xml", "d.xml", "e.xml", "f.xml", "g.xml", "current" }));
        });

        tree.Clear(store);
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public void LoadingAMissingFolderGivesAnEmptyTree()
    {
        var loaded = new SnapshotMetadataStore(_dir).Load();

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Tree.Count, Is.EqualTo(0));
            Assert.That(loaded.Diagnostics, Is.Empty);
        });
    }

    [TestCase("", "snapshot name must not be empty")]
    [TestCase(".", "invalid snapshot name '.': '.' and '..' are not allowed")]
    [TestCase("..", "invalid snapshot name '..': '.' and '..' are not allowed")]
    [TestCase("../etc/x", "invalid snapshot name '../etc/x': name can't contain '/'")]
    [TestCase("a\\b", "invalid snapshot name 'a\\b': name can't contain '\\'")]
    [TestCase("a\nb", "invalid snapshot name 'a\\x0ab': name can't contain control characters")]
    [TestCase("a\0b", "invalid snapshot name 'a\\x00b': name can't contain control characters")]
    public void NamesThatCannotBeFileNamesAreInvalidArguments(string name, string message)
    {
        var store = new SnapshotMetadataStore(_dir);

        var ex = Assert.Throws<VirtException>(() => new SnapshotTree().Add(Def(name), false, store));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Is.EqualTo("invalid argument: " + message));
            Assert.That(Directory.Exists(_dir), Is.False);
        });
    }

    [Test]
    public void NamesAreCappedAt200Bytes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => SnapshotMetadataStore.ValidateName(new string('a', 200)), Throws.Nothing);
            Assert.That(() => SnapshotMetadataStore.ValidateName(new string('a', 201)),
                Throws.TypeOf<VirtException>().With.Message.EqualTo("invalid argument: invalid snapshot name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...': longer than 200 bytes"));
            Assert.That(() => SnapshotMetadataStore.ValidateName(new string('é', 101)), Throws.TypeOf<VirtException>());
            Assert.That(() => SnapshotMetadataStore.ValidateName("a..b é"), Throws.Nothing);
        });
    }

    [Test]
    public void BrokenFilesAreReportedByNameAndTheRestLoads()
    {
        var store = new SnapshotMetadataStore(_dir);
        var tree = new SnapshotTree();
        tree.Add(Def("a"), false, store);
        tree.Add(Def("b", "a"), false, store);
        tree.Add(Def("c", "b"), false, store);
        tree.Add(Def("x"), false, store);
        tree.Add(Def("y", "x"), false, store);
        tree.Add(Def("ok"), true, store);
        string Xml(string name) => Path.Combine(_dir, name + ".xml");
        File.WriteAllText(Xml("truncated"), Def("truncated").ToXml()[..40]);
        File.WriteAllText(Xml("wrongname"), Def("other").ToXml());
        File.WriteAllText(Xml("orphan"), Def("orphan", "gone").ToXml());
        File.WriteAllText(Xml("x"), Def("x", "y").ToXml());
        File.WriteAllText(Xml("b"), Def("b", "a").ToXml().Replace("<state>running</state>", "<state>sleepy</state>", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_dir, ".a.xml.1234.tmp"), "<domainsnap");

        var loaded = store.Load();

        var messages = loaded.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(messages, Does.Contain($"{Xml("truncated")}: cannot load snapshot 'truncated': XML error: domain snapshot XML is malformed: Unexpected end of file has occurred. The following elements are not closed: name, domainsnapshot. Line 2, position 24."));
            Assert.That(messages, Does.Contain($"{Xml("wrongname")}: file holds snapshot 'other', not 'wrongname'; file ignored"));
            Assert.That(messages, Does.Contain($"{Xml("orphan")}: parent 'gone' of snapshot 'orphan' not found; the snapshot is now a root"));
            Assert.That(messages, Does.Contain($"{Xml("b")}: cannot load snapshot 'b': unsupported configuration: Invalid state 'sleepy' in domain snapshot XML"));
            Assert.That(messages, Does.Contain($"{Xml("c")}: parent 'b' of snapshot 'c' not found; the snapshot is now a root"));
            Assert.That(messages.Count(m => m.Contains("part of a parent cycle", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(messages, Has.Count.EqualTo(6));
            Assert.That(loaded.Tree.Count, Is.EqualTo(6));
            Assert.That(loaded.Tree.CurrentName, Is.EqualTo("ok"));
            Assert.That(loaded.Tree.FindInconsistency(), Is.Null);
            Assert.That(File.Exists(Path.Combine(_dir, ".a.xml.1234.tmp")), Is.False);
        });
    }

    [Test]
    public void AnUnreadableFileIsReportedAndTheRestLoads()
    {
        var store = new SnapshotMetadataStore(_dir);
        new SnapshotTree().Add(Def("a"), false, store);
        File.WriteAllBytes(Path.Combine(_dir, "bin.xml"), [0xff, 0xfe, 0x00, 0xd8, 0x00]);
        Directory.CreateDirectory(Path.Combine(_dir, "dir.xml"));

        var loaded = store.Load();

        Assert.Multiple(() =>
        {
            Assert.That(Names(loaded.Tree.List()), Is.EqualTo(new[] { "a" }));
            Assert.That(loaded.Diagnostics.Select(d => Path.GetFileName(d.FilePath)), Is.EquivalentTo(new[] { "bin.xml" }));
            Assert.That(loaded.Diagnostics.Single().Message, Does.StartWith("cannot read snapshot 'bin': Unable to translate bytes [FF] at index 0"));
        });
    }

    [Test]
    public void ACurrentMarkerNamingAMissingSnapshotIsReportedAndIgnored()
    {
        var store = new SnapshotMetadataStore(_dir);
        new SnapshotTree().Add(Def("a"), true, store);
        File.Delete(Path.Combine(_dir, "a.xml"));

        var loaded = store.Load();

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Tree.CurrentName, Is.Null);
            Assert.That(loaded.Diagnostics.Single().Message, Is.EqualTo("current snapshot 'a' does not exist; no snapshot is current"));
        });
    }

    [TestCase("write")]
    [TestCase("fsync")]
    [TestCase("rename")]
    public void AWriteThatFailsLeavesTheOldFileAndNoTemporaryFile(string failingStep)
    {
        var tree = new SnapshotTree();
        using (var store = new SnapshotMetadataStore(_dir))
        {
            tree.Add(Def("a"), false, store);
        }

        var failing = new SnapshotMetadataStore(_dir, new AtomicFile(durable: true, step => { if (step == failingStep) { throw new IOException("disk full"); } }));

        var ex = Assert.Throws<VirtException>(() => tree.Redefine(Def("a") with { Description = "new" }, SnapshotCreateFlags.None, failing));
        failing.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.WriteFailed));
            Assert.That(ex.Message, Is.EqualTo("failed to write file: cannot write metadata of snapshot 'a': disk full"));
            Assert.That(tree.Get("a").Description, Is.Null);
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { "a.xml" }));
            Assert.That(new SnapshotMetadataStore(_dir).Load().Tree.Get("a").Description, Is.Null);
        });
    }
}
