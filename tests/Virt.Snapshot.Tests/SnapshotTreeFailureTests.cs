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
    public void Delete_children_failing_part_way_keeps_a_consistent_tree_and_moves_current_above_what_went()
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
    public void Delete_children_only_failing_part_way_moves_current_to_the_kept_snapshot()
    {
        var tree = Sample();
        tree.SetCurrent("c");

        Assert.Throws<VirtException>(() => tree.Delete("a", SnapshotDeleteFlags.ChildrenOnly, FailRemoving("b").Object));

        Assert.That(Shape(tree), Is.EqualTo("a<- b<a e<a f<- g<f current=a"));
        AssertConsistent(tree);
    }

    [Test]
    public void Delete_children_failing_before_current_went_keeps_current()
    {
        var tree = Sample();
        tree.SetCurrent("e");

        Assert.Throws<VirtException>(() => tree.Delete("a", SnapshotDeleteFlags.Children, FailRemoving("d").Object));

        Assert.That(Shape(tree), Is.EqualTo("a<- b<a d<b e<a f<- g<f current=e"));
        AssertConsistent(tree);
    }

    [Test]
    public void Plain_delete_failing_while_reparenting_children_leaves_the_moved_ones_moved_and_the_snapshot_in_place()
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
    public void Plain_delete_failing_to_record_the_new_current_keeps_the_snapshot()
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
    public void Clear_failing_part_way_leaves_a_smaller_consistent_tree_with_current_cleared()
    {
        var tree = Sample();
        tree.SetCurrent("d");

        Assert.Throws<VirtException>(() => tree.Clear(FailRemoving("e").Object));

        Assert.That(Shape(tree), Is.EqualTo("a<- e<a f<- g<f current=-"));
        AssertConsistent(tree);
    }

    [Test]
    public void Bulk_redefine_failing_on_the_fifth_snapshot_puts_everything_back()
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
    public void Bulk_redefine_whose_handler_fails_on_the_fifth_snapshot_puts_everything_back()
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
    public void Add_whose_current_marker_fails_removes_the_snapshot_again_and_keeps_the_old_current()
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
    public void Add_whose_marker_and_undo_both_fail_keeps_the_snapshot_not_current_as_storage_has_it()
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
    public void Redefine_current_whose_marker_fails_removes_a_new_snapshot_and_restores_a_replaced_one_in_place()
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
