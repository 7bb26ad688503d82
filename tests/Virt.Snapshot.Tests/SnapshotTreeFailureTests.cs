using Moq;
using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

/// <summary>Seed 004 / DESIGN snapshot behaviour 5: a failure part way through any removal or bulk redefine
/// leaves the tree consistent, and current cleared or moved when the current snapshot went.</summary>
public class SnapshotTreeFailureTests
{
    private static readonly VirtException Injected = new(VirtErrorCode.OperationFailed, "injected fault");

    private static Mock<SnapshotChangeHandler> FailRemoving(string name)
    {
        var handler = new Mock<SnapshotChangeHandler> { CallBase = true };
        handler.Setup(h => h.Removing(It.Is<SnapshotDefinition>(d => d.Name == name))).Throws(Injected);
        return handler;
    }

    [Test]
    public void DeleteChildrenFailingPartWayKeepsAConsistentTreeAndMovesCurrentAboveWhatWent()
    {
        var tree = Sample();
        tree.Add(Def("c1", "c"), false);
        tree.SetCurrent("c1");

        var ex = Assert.Throws<VirtException>(() => tree.Delete("a", SnapshotDeleteFlags.Children, FailRemoving("d").Object));

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.SameAs(Injected));
            Assert.That(Shape(tree), Is.EqualTo("a<- b<a d<b e<a f<- g<f current=-"));
        });
        AssertConsistent(tree);
    }

    [Test]
    public void DeleteChildrenOnlyFailingPartWayMovesCurrentToTheKeptSnapshot()
    {
        var tree = Sample();
        tree.SetCurrent("c");

        Assert.Throws<VirtException>(() => tree.Delete("a", SnapshotDeleteFlags.ChildrenOnly, FailRemoving("b").Object));

        Assert.That(Shape(tree), Is.EqualTo("a<- b<a e<a f<- g<f current=a"));
        AssertConsistent(tree);
    }

    [Test]
    public void DeleteChildrenFailingBeforeCurrentWentKeepsCurrent()
    {
        var tree = Sample();
        tree.SetCurrent("e");

        Assert.Throws<VirtException>(() => tree.Delete("a", SnapshotDeleteFlags.Children, FailRemoving("d").Object));

        Assert.That(Shape(tree), Is.EqualTo("a<- b<a d<b e<a f<- g<f current=e"));
        AssertConsistent(tree);
    }

    [Test]
    public void PlainDeleteFailingWhileReparentingChildrenLeavesTheMovedOnesMovedAndTheSnapshotInPlace()
    {
        var tree = Sample();
        tree.SetCurrent("b");
        var handler = new Mock<SnapshotChangeHandler> { CallBase = true };
        handler.Setup(h => h.Saving(It.Is<SnapshotDefinition>(d => d.Name == "d"), false)).Throws(Injected);

        Assert.Throws<VirtException>(() => tree.Delete("b", SnapshotDeleteFlags.None, handler.Object));

        Assert.That(Shape(tree), Is.EqualTo("a<- b<a d<b e<a c<a f<- g<f current=b"));
        AssertConsistent(tree);
    }

    [Test]
    public void PlainDeleteFailingToRecordTheNewCurrentKeepsTheSnapshot()
    {
        var tree = Sample();
        tree.SetCurrent("g");
        var handler = new Mock<SnapshotChangeHandler> { CallBase = true };
        handler.Setup(h => h.CurrentChanging("f")).Throws(Injected);

        Assert.Throws<VirtException>(() => tree.Delete("g", SnapshotDeleteFlags.None, handler.Object));

        Assert.That(Shape(tree), Is.EqualTo("a<- b<a c<b d<b e<a f<- g<f current=g"));
        AssertConsistent(tree);
    }

    [Test]
    public void ClearFailingPartWayLeavesASmallerConsistentTreeWithCurrentCleared()
    {
        var tree = Sample();
        tree.SetCurrent("d");

        Assert.Throws<VirtException>(() => tree.Clear(FailRemoving("e").Object));

        Assert.That(Shape(tree), Is.EqualTo("a<- e<a f<- g<f current=-"));
        AssertConsistent(tree);
    }

    [Test]
    public void BulkRedefineFailingOnTheFifthSnapshotPutsEverythingBack()
    {
        var tree = Sample();
        tree.SetCurrent("c");
        string before = Shape(tree);
        var log = new List<string>();
        var batch = new[]
        {
            Def("n1"), Def("n2", "n1"), Def("c", "n2") with { Description = "moved" }, Def("n3", "c"),
            Def("n4", "missing"), Def("n5"),
        };

        var ex = Assert.Throws<VirtException>(() => tree.RedefineAll(batch, new LoggingHandler(log)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo("invalid argument: parent missing for moment n4 not found"));
            Assert.That(Shape(tree), Is.EqualTo(before));
            Assert.That(tree.Get("c").Description, Is.Null);
            Assert.That(log, Is.EqualTo(new[] { "save n1", "save n2", "save c", "save n3", "-n3", "save c", "-n2", "-n1" }));
        });
        AssertConsistent(tree);
    }

    [Test]
    public void BulkRedefineWhoseHandlerFailsOnTheFifthSnapshotPutsEverythingBack()
    {
        var tree = new SnapshotTree();
        var handler = new Mock<SnapshotChangeHandler> { CallBase = true };
        handler.Setup(h => h.Saving(It.Is<SnapshotDefinition>(d => d.Name == "s5"), true)).Throws(Injected);
        handler.Setup(h => h.Removing(It.Is<SnapshotDefinition>(d => d.Name == "s2"))).Throws(new IOException("undo also fails"));

        Assert.Throws<VirtException>(() => tree.RedefineAll(Enumerable.Range(1, 8).Select(i => Def("s" + i, i == 1 ? null : "s" + (i - 1))), handler.Object));

        Assert.That(tree.Count, Is.EqualTo(0));
        AssertConsistent(tree);
    }

    [Test]
    public void BulkRedefineWhoseUndoAlsoFailsStillPutsAReplacedSnapshotBackInItsPlace()
    {
        var tree = Sample();
        tree.SetCurrent("c");
        string before = Shape(tree);
        string[] childrenOfB = Names(tree.ListChildren("b", SnapshotListFlags.Topological));
        var batch = new[] { Def("n1"), Def("n2", "n1"), Def("c", "n2") with { Description = "moved" }, Def("n3", "c"), Def("n4", "missing") };
        var handler = new Mock<SnapshotChangeHandler> { CallBase = true };
        handler.Setup(h => h.Saving(It.Is<SnapshotDefinition>(d => d.Name == "c" && d.Description == null), false)).Throws(new IOException("undo of c fails"));
        handler.Setup(h => h.Removing(It.Is<SnapshotDefinition>(d => d.Name == "n3"))).Throws(new IOException("undo of n3 fails"));

        var ex = Assert.Throws<VirtException>(() => tree.RedefineAll(batch, handler.Object));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo("invalid argument: parent missing for moment n4 not found"), "the batch's own error, not the undo's");
            Assert.That(Shape(tree), Is.EqualTo(before), "c back under b, before d; n1 to n3 gone");
            Assert.That(tree.Get("c").Description, Is.Null, "c's old definition, in memory although storage could not take it");
            Assert.That(Names(tree.ListChildren("b", SnapshotListFlags.Topological)), Is.EqualTo(childrenOfB), "c back in its place among b's children");
        });
        handler.Verify(h => h.Removing(It.Is<SnapshotDefinition>(d => d.Name == "n1")), Times.Once, "the undo went on past both failures");
        AssertConsistent(tree);
    }

    [Test]
    public void BulkRedefineWhoseUndoAlsoFailsPutsAReplacedRootBackAmongTheRoots()
    {
        var tree = Sample();
        string before = Shape(tree);
        var batch = new[] { Def("n1"), Def("f", "n1", SnapshotState.Shutoff) with { Description = "moved" }, Def("n2", "missing") };
        var handler = new Mock<SnapshotChangeHandler> { CallBase = true };
        handler.Setup(h => h.Saving(It.Is<SnapshotDefinition>(d => d.Name == "f" && d.Description == null), false)).Throws(new IOException("undo of f fails"));

        var ex = Assert.Throws<VirtException>(() => tree.RedefineAll(batch, handler.Object));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo("invalid argument: parent missing for moment n2 not found"), "the batch's own error, not the undo's");
            Assert.That(Shape(tree), Is.EqualTo(before), "f a root again, with g under it; n1 gone");
            Assert.That(Names(tree.List(SnapshotListFlags.Roots)), Is.EqualTo(new[] { "a", "f" }), "f back in its place among the roots");
            Assert.That(tree.Get("f").Description, Is.Null, "f's old definition, in memory although storage could not take it");
        });
        AssertConsistent(tree);
    }

    [Test]
    public void BulkRedefineWhoseUndoAlsoFailsPutsAReplacedMiddleChildBackBetweenItsSiblings()
    {
        var tree = Sample();
        tree.Add(Def("d2", "b"), false);
        string before = Shape(tree);
        var batch = new[] { Def("n1"), Def("d", "n1") with { Description = "moved" }, Def("n2", "missing") };
        var handler = new Mock<SnapshotChangeHandler> { CallBase = true };
        handler.Setup(h => h.Saving(It.Is<SnapshotDefinition>(d => d.Name == "d" && d.Description == null), false)).Throws(new IOException("undo of d fails"));

        Assert.Throws<VirtException>(() => tree.RedefineAll(batch, handler.Object));

        Assert.Multiple(() =>
        {
            Assert.That(Shape(tree), Is.EqualTo(before), "d back under b; n1 gone");
            Assert.That(Names(tree.ListChildren("b")), Is.EqualTo(new[] { "c", "d", "d2" }), "d back between c and d2");
            Assert.That(Names(tree.ListChildren("b", SnapshotListFlags.Topological)), Is.EqualTo(new[] { "d2", "d", "c" }));
        });
        AssertConsistent(tree);
    }

    [Test]
    public void AddWhoseCurrentMarkerFailsRemovesTheSnapshotAgainAndKeepsTheOldCurrent()
    {
        var tree = Sample();
        tree.SetCurrent("a");
        var handler = new Mock<SnapshotChangeHandler> { CallBase = true };
        handler.Setup(h => h.CurrentChanging("n")).Throws(Injected);
        string before = Shape(tree);

        var ex = Assert.Throws<VirtException>(() => tree.Add(Def("n", "a"), true, handler.Object));

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.SameAs(Injected));
            Assert.That(tree.Contains("n"), Is.False, "all or nothing: the new snapshot is rolled back");
            Assert.That(tree.CurrentName, Is.EqualTo("a"));
            Assert.That(Shape(tree), Is.EqualTo(before));
        });
        handler.Verify(h => h.Saving(It.Is<SnapshotDefinition>(d => d.Name == "n"), true), Times.Once);
        handler.Verify(h => h.Removing(It.Is<SnapshotDefinition>(d => d.Name == "n")), Times.Once);
        AssertConsistent(tree);

        tree.Add(Def("n", "a"), true);
        Assert.That(tree.CurrentName, Is.EqualTo("n"), "a retry with the same name works");
    }

    [Test]
    public void AddWhoseMarkerAndUndoBothFailKeepsTheSnapshotNotCurrentAsStorageHasIt()
    {
        var tree = Sample();
        tree.SetCurrent("a");
        var handler = new Mock<SnapshotChangeHandler> { CallBase = true };
        handler.Setup(h => h.CurrentChanging("n")).Throws(Injected);
        handler.Setup(h => h.Removing(It.Is<SnapshotDefinition>(d => d.Name == "n"))).Throws(new VirtException(VirtErrorCode.WriteFailed, "cannot remove"));

        var ex = Assert.Throws<VirtException>(() => tree.Add(Def("n", "a"), true, handler.Object));

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.SameAs(Injected), "the original error is reported");
            Assert.That(tree.Contains("n"), Is.True);
            Assert.That(tree.CurrentName, Is.EqualTo("a"));
        });
        AssertConsistent(tree);
    }

    [Test]
    public void RedefineCurrentWhoseMarkerFailsRemovesANewSnapshotAndRestoresAReplacedOneInPlace()
    {
        var tree = Sample();
        tree.SetCurrent("a");
        var handler = new Mock<SnapshotChangeHandler> { CallBase = true };
        handler.Setup(h => h.CurrentChanging(It.IsAny<string?>())).Throws(Injected);
        string before = Shape(tree);
        string[] topological = Names(tree.List(SnapshotListFlags.Topological));

        Assert.Throws<VirtException>(() => tree.Redefine(Def("n", "c"), SnapshotCreateFlags.Current, handler.Object));
        Assert.Throws<VirtException>(() => tree.Redefine(Def("b", "f") with { Description = "moved" }, SnapshotCreateFlags.Current, handler.Object));
        Assert.Throws<VirtException>(() => tree.Redefine(Def("b", "a") with { Description = "same parent" }, SnapshotCreateFlags.Current, handler.Object));

        Assert.Multiple(() =>
        {
            Assert.That(tree.Contains("n"), Is.False);
            Assert.That(tree.Get("b").Description, Is.Null);
            Assert.That(Shape(tree), Is.EqualTo(before));
            Assert.That(Names(tree.List(SnapshotListFlags.Topological)), Is.EqualTo(topological));
            Assert.That(tree.CurrentName, Is.EqualTo("a"));
        });
        AssertConsistent(tree);
    }

    private sealed class LoggingHandler(List<string> log) : SnapshotChangeHandler
    {
        public override void Saving(SnapshotDefinition snapshot, bool isNew) => log.Add("save " + snapshot.Name);

        public override void Removing(SnapshotDefinition snapshot) => log.Add("-" + snapshot.Name);
    }
}
