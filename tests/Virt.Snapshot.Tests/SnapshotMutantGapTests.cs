using System.Runtime.Versioning;
using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

/// <summary>Behaviour the Virt.Snapshot mutation run showed untested: a plain redefine leaves current alone; a
/// failed redefine of a root or of a first child is restored in its place; handlers are told which saves are new;
/// null arguments; a parent cycle reached through a snapshot outside it; the store's marker write creating the
/// folder, its refusals and messages.</summary>
[SupportedOSPlatform("linux")]
public class SnapshotMutantGapTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("virt-snap-gap-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private sealed class FailingCurrent(List<string> log) : SnapshotChangeHandler
    {
        public override void Saving(SnapshotDefinition snapshot, bool isNew) => log.Add($"save {snapshot.Name} new={isNew}");

        public override void CurrentChanging(string? name) => throw new VirtException(VirtErrorCode.OperationFailed, "injected fault");
    }

    [Test]
    public void ARedefineWithoutTheCurrentFlagLeavesTheCurrentSnapshot()
    {
        var tree = Sample();
        tree.SetCurrent("c");

        tree.Redefine(Def("b", "a") with { Description = "again" });
        tree.Redefine(Def("n", "g"));

        Assert.That(tree.CurrentName, Is.EqualTo("c"));
    }

    [Test]
    public void AFailedRedefineOfARootOrOfAFirstChildIsRestoredInItsPlaceAndHandlersHearWhatIsNew()
    {
        var tree = new SnapshotTree();
        tree.Add(Def("r"), false);
        tree.Add(Def("s"), false);
        tree.Add(Def("x", "r"), false);
        tree.Add(Def("y", "r"), false);
        var log = new List<string>();

        Assert.Throws<VirtException>(() => tree.Redefine(Def("r") with { Description = "new" }, SnapshotCreateFlags.Current, new FailingCurrent(log)));
        Assert.Throws<VirtException>(() => tree.Redefine(Def("x", "r") with { Description = "new" }, SnapshotCreateFlags.Current, new FailingCurrent(log)));
        Assert.Throws<VirtException>(() => tree.Add(Def("z", "r"), true, new FailingCurrent(log)));

        Assert.Multiple(() =>
        {
            Assert.That(tree.Get("r").Description, Is.Null);
            Assert.That(tree.Get("x").Description, Is.Null);
            Assert.That(Names(tree.List(SnapshotListFlags.Roots)), Is.EqualTo(new[] { "r", "s" }));
            Assert.That(Names(tree.ListChildren("r")), Is.EqualTo(new[] { "x", "y" }), "x is r's first child again");
            Assert.That(Names(tree.List(SnapshotListFlags.Topological)), Is.EqualTo(new[] { "s", "r", "y", "x" }));
            Assert.That(log, Is.EqualTo(new[] { "save r new=False", "save r new=False", "save x new=False", "save x new=False", "save z new=True" }));
            Assert.That(tree.Contains("z"), Is.False);
            Assert.That(tree.CurrentName, Is.Null);
        });
        AssertConsistent(tree);
    }

    [Test]
    public void NullArgumentsAreRefusedAsSuch()
    {
        var tree = Sample();

        Assert.Multiple(() =>
        {
            Assert.That(() => tree.Add(null!, false), Throws.ArgumentNullException);
            Assert.That(() => tree.Redefine(null!), Throws.ArgumentNullException);
            Assert.That(() => tree.RedefineAll(null!), Throws.ArgumentNullException);
            Assert.That(() => tree.RedefineAll([Def("n"), null!]), Throws.ArgumentNullException);
            Assert.That(() => tree.Update(null!), Throws.ArgumentNullException);
            Assert.That(() => SnapshotChangeHandler.Combine(null!), Throws.ArgumentNullException);
            Assert.That(() => new SnapshotMetadataStore(null!), Throws.ArgumentNullException);
            Assert.That(() => new SnapshotMetadataStore(""), Throws.ArgumentException);
            Assert.That(tree.Count, Is.EqualTo(7), "the bulk redefine put n back");
        });
    }

    [Test]
    public void ASnapshotWithoutANameAndAnUpdateThatMovesOneAreRefusedWithTheReason()
    {
        var tree = Sample();

        var unnamed = Assert.Throws<VirtException>(() => tree.Add(Def("x") with { Name = null }, false));
        var moved = Assert.Throws<VirtException>(() => tree.Update(Def("c", "a")));

        Assert.Multiple(() =>
        {
            Assert.That(unnamed!.Message, Is.EqualTo("invalid argument: a snapshot must have a name"));
            Assert.That(moved!.Message, Is.EqualTo("invalid argument: an update cannot move snapshot c to another parent"));
        });
    }

    [Test]
    public void ACycleReachedThroughASnapshotOutsideItDetachesTheCycleNotThatSnapshot()
    {
        string dir = Path.Combine(_root, "s");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "a.xml"), Def("a", "b").ToXml());
        File.WriteAllText(Path.Combine(dir, "b.xml"), Def("b", "c").ToXml());
        File.WriteAllText(Path.Combine(dir, "c.xml"), Def("c", "b").ToXml());

        using var store = new SnapshotMetadataStore(dir);
        var loaded = store.Load();

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Diagnostics.Select(d => d.Message), Is.EqualTo(new[] { "snapshot 'b' is part of a parent cycle (its parent was 'c'); the snapshot is now a root" }));
            Assert.That(Shape(loaded.Tree), Is.EqualTo("b<- a<b c<b current=-"));
        });
    }

    [Test]
    public void RecordingCurrentCreatesTheFolderAndRemovalsSayWhatFailed()
    {
        string dir = Path.Combine(_root, "s");
        using (var store = new SnapshotMetadataStore(dir))
        {
            store.WriteCurrent("a");
        }

        var failing = new SnapshotMetadataStore(dir, new AtomicFile(durable: true, step => { if (step == "unlink") { throw new IOException("Read-only file system"); } }));
        File.WriteAllText(Path.Combine(dir, "a.xml"), Def("a").ToXml());
        var remove = Assert.Throws<VirtException>(() => failing.Remove("a"));
        var clear = Assert.Throws<VirtException>(() => failing.WriteCurrent(null));
        failing.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(dir, "current")), Is.EqualTo("a\n"));
            Assert.That(remove!.Message, Is.EqualTo("failed to write file: cannot remove metadata of snapshot 'a': Read-only file system"));
            Assert.That(clear!.Message, Is.EqualTo("failed to write file: cannot clear the current snapshot marker: Read-only file system"));
        });
    }

    [Test]
    public void ADisposedStoreRefusesEvenWhenItsFolderDoesNotExist()
    {
        var store = new SnapshotMetadataStore(Path.Combine(_root, "never"));
        store.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(() => store.Load(), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => store.Remove("a"), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => store.WriteCurrent(null), Throws.TypeOf<ObjectDisposedException>());
        });
    }

    [TestCase("")]
    [TestCase(".")]
    [TestCase("..")]
    public void EmptyAndDotNamesAreRefused(string name)
    {
        var ex = Assert.Throws<VirtException>(() => SnapshotMetadataStore.ValidateName(name));

        Assert.That(ex!.Message, Is.EqualTo(name.Length == 0
            ? "invalid argument: snapshot name must not be empty"
            : $"invalid argument: invalid snapshot name '{name}': '.' and '..' are not allowed"));
    }

    [Test]
    public void TopologicalDescendantsOfASnapshotWithOlderSiblingsStopAtItsOwnSubtree()
    {
        var tree = Sample();
        tree.Add(Def("g2", "g"), false);
        tree.Add(Def("h", "f"), false);

        Assert.Multiple(() =>
        {
            Assert.That(Names(tree.ListChildren("f", SnapshotListFlags.Descendants | SnapshotListFlags.Topological)), Is.EqualTo(new[] { "h", "g", "g2" }),
                "f has an older root beside it (a): its subtree only, newest child first");
            Assert.That(Names(tree.ListChildren("d", SnapshotListFlags.Descendants | SnapshotListFlags.Topological)), Is.Empty);
        });
    }

    [Test]
    public void CombiningNoHandlerListIsAnArgumentNullException()
    {
        Assert.That(() => SnapshotChangeHandler.Combine(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("handlers"));
    }
}
