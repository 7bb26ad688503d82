using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

/// <summary>What listings show after the tree changes shape: creation order with snapshots gone from the front,
/// middle and end; walks that climb more than one level; deletes of leaves; a current snapshot set twice.</summary>
public class SnapshotTreeOrderTests
{
    private static SnapshotTree Roots(params string[] names)
    {
        var tree = new SnapshotTree();
        foreach (string name in names)
        {
            tree.Add(Def(name), false);
        }

        return tree;
    }

    [Test]
    public void CreationOrderSurvivesDeletesAtTheFrontInTheMiddleAndAtTheEnd()
    {
        var tree = Roots("a", "b", "c", "d", "e");

        tree.Delete("a");
        tree.Delete("c");
        tree.Delete("e");
        string[] afterDeletes = Names(tree.List());
        tree.Add(Def("f"), false);
        string[] afterAdd = Names(tree.List());
        tree.Delete("b");
        tree.Delete("d");
        tree.Delete("f");
        string[] empty = Names(tree.List());
        tree.Add(Def("g"), false);
        tree.Add(Def("h"), false);

        Assert.Multiple(() =>
        {
            Assert.That(afterDeletes, Is.EqualTo(new[] { "b", "d" }));
            Assert.That(afterAdd, Is.EqualTo(new[] { "b", "d", "f" }));
            Assert.That(empty, Is.Empty);
            Assert.That(Names(tree.List()), Is.EqualTo(new[] { "g", "h" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Roots)), Is.EqualTo(new[] { "g", "h" }));
        });
        AssertConsistent(tree);
    }

    [Test]
    public void DeletingAChildKeepsItsSiblingsInOrderWhereverItStood()
    {
        var tree = Roots("p");
        foreach (string name in new[] { "x", "y", "z" })
        {
            tree.Add(Def(name, "p"), false);
        }

        tree.Delete("y");
        string[] middleGone = Names(tree.ListChildren("p"));
        string[] middleGoneTopological = Names(tree.ListChildren("p", SnapshotListFlags.Topological));
        tree.Delete("x");
        string[] firstGone = Names(tree.ListChildren("p"));
        tree.Add(Def("w", "p"), false);
        tree.Delete("w");
        string[] lastGone = Names(tree.ListChildren("p"));

        Assert.Multiple(() =>
        {
            Assert.That(middleGone, Is.EqualTo(new[] { "x", "z" }));
            Assert.That(middleGoneTopological, Is.EqualTo(new[] { "z", "x" }));
            Assert.That(firstGone, Is.EqualTo(new[] { "z" }));
            Assert.That(lastGone, Is.EqualTo(new[] { "z" }));
            Assert.That(tree.GetChildCount("p"), Is.EqualTo(1));
            Assert.That(Names(tree.List(SnapshotListFlags.Leaves)), Is.EqualTo(new[] { "z" }));
        });
        AssertConsistent(tree);
    }

    /// <summary>
    /// a ── b ── c ── d
    ///   │         └─ e
    ///   └─ f ── g
    /// h
    /// </summary>
    private static SnapshotTree Deep()
    {
        var tree = new SnapshotTree();
        tree.Add(Def("a"), false);
        tree.Add(Def("b", "a"), false);
        tree.Add(Def("c", "b"), false);
        tree.Add(Def("d", "c"), false);
        tree.Add(Def("e", "c"), false);
        tree.Add(Def("f", "a"), false);
        tree.Add(Def("g", "f"), false);
        tree.Add(Def("h"), false);
        return tree;
    }

    [Test]
    public void WalksThatClimbSeveralLevelsListEverySnapshotOnce()
    {
        var tree = Deep();

        Assert.Multiple(() =>
        {
            Assert.That(Names(tree.ListChildren("a", SnapshotListFlags.Descendants)), Is.EqualTo(new[] { "b", "c", "d", "e", "f", "g" }));
            Assert.That(Names(tree.ListChildren("a", SnapshotListFlags.Descendants | SnapshotListFlags.Topological)), Is.EqualTo(new[] { "f", "g", "b", "c", "e", "d" }));
            Assert.That(Names(tree.ListChildren("b", SnapshotListFlags.Descendants)), Is.EqualTo(new[] { "c", "d", "e" }));
            Assert.That(Names(tree.ListChildren("b", SnapshotListFlags.Descendants | SnapshotListFlags.Topological)), Is.EqualTo(new[] { "c", "e", "d" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Topological)), Is.EqualTo(new[] { "h", "a", "f", "g", "b", "c", "e", "d" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Topological | SnapshotListFlags.Leaves)), Is.EqualTo(new[] { "h", "g", "e", "d" }));
            Assert.That(tree.GetDescendantCount("a"), Is.EqualTo(6));
            Assert.That(tree.GetDescendantCount("c"), Is.EqualTo(2));
            Assert.That(tree.GetDescendantCount("h"), Is.EqualTo(0));
            Assert.That(tree.GetChildCount("a"), Is.EqualTo(2));
            Assert.That(tree.GetChildCount("d"), Is.EqualTo(0));
        });
    }

    [Test]
    public void DeletingADeepSubtreeRemovesLeavesFirstAndKeepsItsSiblings()
    {
        var tree = Deep();
        var log = new List<string>();

        tree.Delete("a", SnapshotDeleteFlags.ChildrenOnly, new LogHandler(log));

        Assert.Multiple(() =>
        {
            Assert.That(log, Is.EqualTo(new[] { "-d", "-e", "-c", "-b", "-g", "-f" }));
            Assert.That(Shape(tree), Is.EqualTo("a<- h<- current=-"));
        });
        AssertConsistent(tree);
    }

    [Test]
    public void DeletingALeafWithItsChildrenOrItsChildrenOnly()
    {
        var tree = Deep();
        tree.SetCurrent("g");
        var log = new List<string>();

        tree.Delete("g", SnapshotDeleteFlags.ChildrenOnly, new LogHandler(log));
        string unchanged = Shape(tree);
        tree.Delete("g", SnapshotDeleteFlags.Children, new LogHandler(log));

        Assert.Multiple(() =>
        {
            Assert.That(unchanged, Is.EqualTo("a<- b<a c<b d<c e<c f<a g<f h<- current=g"), "a leaf has no children to delete");
            Assert.That(log, Is.EqualTo(new[] { "current=f", "-g" }));
            Assert.That(Shape(tree), Is.EqualTo("a<- b<a c<b d<c e<c f<a h<- current=f"));
        });
        AssertConsistent(tree);
    }

    [Test]
    public void SettingTheSnapshotThatIsAlreadyCurrentChangesNothingAndCallsNoHandler()
    {
        var tree = Deep();
        var log = new List<string>();
        var handler = new LogHandler(log);

        tree.SetCurrent(null, handler);
        tree.SetCurrent("c", handler);
        tree.SetCurrent("c", handler);
        var missing = Assert.Throws<VirtException>(() => tree.SetCurrent("nope", handler));

        Assert.Multiple(() =>
        {
            Assert.That(log, Is.EqualTo(new[] { "current=c" }));
            Assert.That(tree.CurrentName, Is.EqualTo("c"));
            Assert.That(tree.Current, Is.SameAs(tree.Get("c")));
            Assert.That(missing!.Code, Is.EqualTo(VirtErrorCode.NoDomainSnapshot));
        });
    }

    [Test]
    public void EveryFlagOfAGroupSetDoesNotFilter()
    {
        var tree = Sample();
        const SnapshotListFlags AllStates = SnapshotListFlags.Inactive | SnapshotListFlags.Active | SnapshotListFlags.DiskOnly;
        const SnapshotListFlags BothLocations = SnapshotListFlags.Internal | SnapshotListFlags.External;

        Assert.Multiple(() =>
        {
            Assert.That(Names(tree.List(AllStates)), Is.EqualTo(new[] { "a", "b", "c", "d", "e", "f", "g" }));
            Assert.That(Names(tree.List(BothLocations)), Is.EqualTo(new[] { "a", "b", "c", "d", "e", "f", "g" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Active | SnapshotListFlags.Inactive)), Is.EqualTo(new[] { "a", "b", "c", "d", "e", "f" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Active | SnapshotListFlags.DiskOnly)), Is.EqualTo(new[] { "a", "b", "c", "d", "e", "g" }));
            Assert.That(Names(tree.List(AllStates | BothLocations | SnapshotListFlags.Leaves)), Is.EqualTo(new[] { "c", "d", "e", "g" }));
            Assert.That(Names(tree.List(SnapshotListFlags.NoMetadata | SnapshotListFlags.Leaves)), Is.Empty);
            Assert.That(Names(tree.List(SnapshotListFlags.Internal | SnapshotListFlags.Inactive)), Is.EqualTo(new[] { "f" }));
            Assert.That(Names(tree.List(SnapshotListFlags.External | SnapshotListFlags.DiskOnly)), Is.EqualTo(new[] { "g" }));
        });
    }

    [Test]
    public void LookupsOfANullNameFindNothing()
    {
        var tree = Sample();

        Assert.Multiple(() =>
        {
            Assert.That(tree.Contains(null!), Is.False);
            Assert.That(tree.TryGet(null!, out var none), Is.False);
            Assert.That(none, Is.Null);
            Assert.That(tree.TryGet("c", out var c), Is.True);
            Assert.That(c!.ParentName, Is.EqualTo("b"));
            Assert.That(tree.TryGet("nope", out _), Is.False);
            Assert.That(() => tree.Get(null!), Throws.ArgumentNullException);
        });
    }

    private sealed class LogHandler(List<string> log) : SnapshotChangeHandler
    {
        public override void Saving(SnapshotDefinition snapshot, bool isNew) => log.Add($"save {snapshot.Name}<{snapshot.ParentName ?? "-"}");

        public override void Removing(SnapshotDefinition snapshot) => log.Add("-" + snapshot.Name);

        public override void CurrentChanging(string? name) => log.Add("current=" + (name ?? "-"));
    }
}
