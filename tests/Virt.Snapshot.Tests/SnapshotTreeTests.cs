using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

public class SnapshotTreeTests
{
    [Test]
    public void ListsFollowLibvirtsFlagsAndGroups()
    {
        var tree = Sample();

        Assert.Multiple(() =>
        {
            Assert.That(Names(tree.List()), Is.EqualTo(new[] { "a", "b", "c", "d", "e", "f", "g" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Roots)), Is.EqualTo(new[] { "a", "f" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Leaves)), Is.EqualTo(new[] { "c", "d", "e", "g" }));
            Assert.That(Names(tree.List(SnapshotListFlags.NoLeaves)), Is.EqualTo(new[] { "a", "b", "f" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Leaves | SnapshotListFlags.NoLeaves)), Is.Empty, "libvirt: both leaf flags match nothing");
            Assert.That(Names(tree.List(SnapshotListFlags.Roots | SnapshotListFlags.Leaves)), Is.Empty);
            Assert.That(Names(tree.List(SnapshotListFlags.Roots | SnapshotListFlags.NoLeaves)), Is.EqualTo(new[] { "a", "f" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Metadata)), Has.Length.EqualTo(7));
            Assert.That(Names(tree.List(SnapshotListFlags.NoMetadata)), Is.Empty);
            Assert.That(Names(tree.List(SnapshotListFlags.Metadata | SnapshotListFlags.NoMetadata)), Has.Length.EqualTo(7));
            Assert.That(Names(tree.List(SnapshotListFlags.Inactive)), Is.EqualTo(new[] { "f" }));
            Assert.That(Names(tree.List(SnapshotListFlags.DiskOnly)), Is.EqualTo(new[] { "g" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Active)), Is.EqualTo(new[] { "a", "b", "c", "d", "e" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Inactive | SnapshotListFlags.DiskOnly)), Is.EqualTo(new[] { "f", "g" }));
            Assert.That(Names(tree.List(SnapshotListFlags.External)), Is.EqualTo(new[] { "e", "g" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Internal)), Is.EqualTo(new[] { "a", "b", "c", "d", "f" }));
            Assert.That(Names(tree.List(SnapshotListFlags.External | SnapshotListFlags.Leaves | SnapshotListFlags.Active)), Is.EqualTo(new[] { "e" }));
            Assert.That(Names(tree.ListChildren("a")), Is.EqualTo(new[] { "b", "e" }));
            Assert.That(Names(tree.ListChildren("a", SnapshotListFlags.Descendants)), Is.EqualTo(new[] { "b", "c", "d", "e" }));
            Assert.That(Names(tree.ListChildren("a", SnapshotListFlags.Descendants | SnapshotListFlags.Leaves)), Is.EqualTo(new[] { "c", "d", "e" }));
            Assert.That(Names(tree.ListChildren("c")), Is.Empty);
            Assert.That(SnapshotListFlags.Roots, Is.EqualTo(SnapshotListFlags.Descendants), "libvirt gives ROOTS and DESCENDANTS one bit");
            Assert.That(Names(tree.ListChildren("a", SnapshotListFlags.Roots)), Is.EqualTo(new[] { "b", "c", "d", "e" }), "from a snapshot, the bit means descendants");
            Assert.That(tree.GetDescendantCount("a"), Is.EqualTo(4));
            Assert.That(tree.GetChildCount("b"), Is.EqualTo(2));
        });
    }

    [Test]
    public void TopologicalOrderPutsParentsBeforeChildrenEvenWhenCreatedOutOfOrder()
    {
        var tree = new SnapshotTree();
        tree.Add(Def("z"), false);
        tree.Add(Def("y"), false);
        tree.Add(Def("x", "y"), false);
        tree.Redefine(Def("z", "x"));

        Assert.Multiple(() =>
        {
            Assert.That(Names(tree.List()), Is.EqualTo(new[] { "z", "y", "x" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Topological)), Is.EqualTo(new[] { "y", "x", "z" }));
        });
    }

    [Test]
    public void BothLeafFlagsMatchNothingWithRootsAndFromASnapshotToo()
    {
        var tree = Sample();
        const SnapshotListFlags Both = SnapshotListFlags.Leaves | SnapshotListFlags.NoLeaves;

        Assert.Multiple(() =>
        {
            Assert.That(Names(tree.List(Both | SnapshotListFlags.Topological)), Is.Empty);
            Assert.That(Names(tree.List(Both | SnapshotListFlags.Roots)), Is.Empty);
            Assert.That(Names(tree.ListChildren("a", Both)), Is.Empty);
            Assert.That(Names(tree.ListChildren("a", Both | SnapshotListFlags.Descendants)), Is.Empty);
        });
    }

    [Test]
    public void CycleErrorNamesTheAncestorWhoseParentIsTheRedefinedSnapshot()
    {
        var tree = new SnapshotTree();
        tree.Add(Def("a"), false);
        tree.Add(Def("b", "a"), false);
        tree.Add(Def("c", "b"), false);
        tree.Add(Def("d", "c"), false);

        var fromLeaf = Assert.Throws<VirtException>(() => tree.Redefine(Def("a", "d")));
        var fromMiddle = Assert.Throws<VirtException>(() => tree.Redefine(Def("b", "d")));
        var child = Assert.Throws<VirtException>(() => tree.Redefine(Def("c", "d")));

        Assert.Multiple(() =>
        {
            Assert.That(fromLeaf!.Message, Is.EqualTo("invalid argument: parent b would create cycle to a"));
            Assert.That(fromMiddle!.Message, Is.EqualTo("invalid argument: parent c would create cycle to b"));
            Assert.That(child!.Message, Is.EqualTo("invalid argument: parent d would create cycle to c"));
            Assert.That(Shape(tree), Is.EqualTo("a<- b<a c<b d<c current=-"));
        });
    }

    /// <summary>Creates each snapshot as a child of the current one and makes it current, as the test driver does.</summary>
    private static void CreateAt(SnapshotTree tree, string name) => tree.Add(Def(name, tree.CurrentName), makeCurrent: true);

    /// <summary>The review's repro; expected orders are what virsh -c test:///default printed for the same commands
    /// (the CLI golden case snapshot-sibling-order runs them end to end against virsh's captured output).</summary>
    private static SnapshotTree ReviewTree()
    {
        var tree = new SnapshotTree();
        CreateAt(tree, "a");
        CreateAt(tree, "b");
        CreateAt(tree, "c");
        tree.SetCurrent("a");
        CreateAt(tree, "d");
        tree.SetCurrent("a");
        CreateAt(tree, "e");
        tree.SetCurrent("b");
        CreateAt(tree, "f");
        return tree;
    }

    [Test]
    public void TopologicalSiblingsAreNewestFirstAndChildrenMovedUpByADeleteGoInFront()
    {
        var tree = ReviewTree();
        string[] before = Names(tree.List(SnapshotListFlags.Topological));
        tree.Delete("b");

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(new[] { "a", "e", "d", "b", "f", "c" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Topological)), Is.EqualTo(new[] { "a", "f", "c", "e", "d" }));
            Assert.That(Names(tree.ListChildren("a", SnapshotListFlags.Topological)), Is.EqualTo(new[] { "f", "c", "e", "d" }));
            Assert.That(Names(tree.ListChildren("a", SnapshotListFlags.Descendants | SnapshotListFlags.Topological)), Is.EqualTo(new[] { "f", "c", "e", "d" }));
            Assert.That(Names(tree.List()), Is.EqualTo(new[] { "a", "c", "d", "e", "f" }), "without TOPOLOGICAL: creation order");
        });
        AssertConsistent(tree);
    }

    [Test]
    public void RedefiningASnapshotMakesItItsParentsNewestChildEvenWhenTheParentIsUnchanged()
    {
        var tree = new SnapshotTree();
        tree.Add(Def("r"), false);
        tree.Add(Def("x", "r"), false);
        tree.Add(Def("y", "r"), false);
        tree.Add(Def("s"), false);
        string[] before = Names(tree.List(SnapshotListFlags.Topological));

        tree.Redefine(Def("x", "r") with { Description = "again" });
        tree.Redefine(Def("r") with { Description = "again" });

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(new[] { "s", "r", "y", "x" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Topological)), Is.EqualTo(new[] { "r", "x", "y", "s" }));
            Assert.That(Names(tree.List(SnapshotListFlags.Roots | SnapshotListFlags.Topological)), Is.EqualTo(new[] { "r", "s" }));
        });
        AssertConsistent(tree);
    }

    [Test]
    public void LookupsOfMissingSnapshotsSayWhichName()
    {
        var tree = Sample();

        var ex = Assert.Throws<VirtException>(() => tree.Get("nope"));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoDomainSnapshot));
            Assert.That(ex.Message, Is.EqualTo("Domain snapshot not found: no domain snapshot with matching name 'nope'"));
            Assert.That(() => tree.ListChildren("nope"), Throws.TypeOf<VirtException>());
            Assert.That(tree.GetParentName("a"), Is.Null);
            Assert.That(tree.GetParentName("c"), Is.EqualTo("b"));
        });
    }

    [Test]
    public void AddRefusesAnExistingNameAndAMissingParentWithLibvirtsMessages()
    {
        var tree = Sample();

        var dup = Assert.Throws<VirtException>(() => tree.Add(Def("a"), false));
        var orphan = Assert.Throws<VirtException>(() => tree.Add(Def("n", "nope"), false));
        Assert.Multiple(() =>
        {
            Assert.That(dup!.Message, Is.EqualTo("operation failed: domain moment a already exists"));
            Assert.That(orphan!.Message, Is.EqualTo("invalid argument: parent nope for moment n not found"));
            Assert.That(tree.Count, Is.EqualTo(7));
        });
    }

    [Test]
    public void RedefineRefusesOwnParentCyclesAndKindChanges()
    {
        var tree = Sample();
        string before = Shape(tree);

        var self = Assert.Throws<VirtException>(() => tree.Redefine(Def("a", "a")));
        var cycle = Assert.Throws<VirtException>(() => tree.Redefine(Def("a", "c")));
        var offline = Assert.Throws<VirtException>(() => tree.Redefine(Def("b", "a", SnapshotState.Shutoff)));
        var diskOnly = Assert.Throws<VirtException>(() => tree.Redefine(Def("f", null, SnapshotState.DiskSnapshot)));
        var flag = Assert.Throws<VirtException>(() => tree.Redefine(Def("n"), SnapshotCreateFlags.DiskOnly));

        Assert.Multiple(() =>
        {
            Assert.That(self!.Message, Is.EqualTo("invalid argument: cannot set moment a as its own parent"));
            Assert.That(cycle!.Message, Is.EqualTo("invalid argument: parent b would create cycle to a"), "libvirt names the ancestor whose parent is a");
            Assert.That(offline!.Message, Is.EqualTo("invalid argument: cannot change between online and offline snapshot state in snapshot b"));
            Assert.That(diskOnly!.Message, Is.EqualTo("invalid argument: cannot change between disk only and full system in snapshot f"));
            Assert.That(flag!.Message, Is.EqualTo("invalid argument: disk-only flag for snapshot n requires disk-snapshot state"));
            Assert.That(Shape(tree), Is.EqualTo(before));
        });
    }

    [Test]
    public void RedefineOfAnExistingSnapshotKeepsChildrenMovesItAndKeepsItsDomain()
    {
        var tree = Sample();

        tree.Redefine(Def("b", "f") with { Description = "moved", DomainXml = null }, SnapshotCreateFlags.Current);

        Assert.Multiple(() =>
        {
            Assert.That(Shape(tree), Is.EqualTo("a<- e<a f<- g<f b<f c<b d<b current=b"));
            Assert.That(tree.Get("b").Description, Is.EqualTo("moved"));
            Assert.That(tree.Get("b").DomainXml, Is.EqualTo("<domain type='test'>\n  <name>t</name>\n</domain>\n"));
        });
        AssertConsistent(tree);
    }

    [Test]
    public void PlainDeleteMovesChildrenToTheParentAndCurrentToTheParent()
    {
        var tree = Sample();
        tree.SetCurrent("b");

        tree.Delete("b");

        Assert.That(Shape(tree), Is.EqualTo("a<- e<a c<a d<a f<- g<f current=a"));
        AssertConsistent(tree);
    }

    [Test]
    public void DeletingARootWithChildrenMakesThemRootsAndClearsCurrent()
    {
        var tree = Sample();
        tree.SetCurrent("a");

        tree.Delete("a");

        Assert.That(Shape(tree), Is.EqualTo("f<- g<f b<- c<b d<b e<- current=-"));
        AssertConsistent(tree);
    }

    [Test]
    public void DeleteChildrenRemovesTheSubtreeAndMovesCurrentAboveIt()
    {
        var tree = Sample();
        tree.SetCurrent("c");

        tree.Delete("b", SnapshotDeleteFlags.Children);

        Assert.That(Shape(tree), Is.EqualTo("a<- e<a f<- g<f current=a"));
        AssertConsistent(tree);
    }

    [Test]
    public void DeleteChildrenOnlyKeepsTheSnapshotAndMakesItCurrentWhenCurrentWent()
    {
        var tree = Sample();
        tree.SetCurrent("d");

        tree.Delete("a", SnapshotDeleteFlags.ChildrenOnly);

        Assert.That(Shape(tree), Is.EqualTo("a<- f<- g<f current=a"));
        AssertConsistent(tree);
    }

    [Test]
    public void DeleteChildrenOfARootClearsCurrentWhenItWasInside()
    {
        var tree = Sample();
        tree.SetCurrent("e");

        tree.Delete("a", SnapshotDeleteFlags.Children | SnapshotDeleteFlags.MetadataOnly);

        Assert.That(Shape(tree), Is.EqualTo("f<- g<f current=-"));
    }

    [Test]
    public void ClearRemovesEverythingLeavesFirst()
    {
        var tree = Sample();
        tree.SetCurrent("c");
        var removed = new List<string>();
        var handler = new RecordingHandler(removed);

        tree.Clear(handler);

        Assert.Multiple(() =>
        {
            Assert.That(tree.Count, Is.EqualTo(0));
            Assert.That(tree.CurrentName, Is.Null);
            Assert.That(removed, Is.EqualTo(new[] { "current=-", "-c", "-d", "-b", "-e", "-a", "-g", "-f" }));
        });
    }

    [Test]
    public void HandlersSeeEachChangeBeforeItIsMade()
    {
        var tree = Sample();
        tree.SetCurrent("b");
        var log = new List<string>();

        tree.Delete("b", SnapshotDeleteFlags.None, new RecordingHandler(log));

        Assert.That(log, Is.EqualTo(new[] { "save c<a", "save d<a", "current=a", "-b" }));
    }

    private sealed class RecordingHandler(List<string> log) : SnapshotChangeHandler
    {
        public override void Saving(SnapshotDefinition snapshot, bool isNew) => log.Add($"save {snapshot.Name}<{snapshot.ParentName ?? "-"}");

        public override void Removing(SnapshotDefinition snapshot) => log.Add("-" + snapshot.Name);

        public override void CurrentChanging(string? name) => log.Add("current=" + (name ?? "-"));
    }
}
