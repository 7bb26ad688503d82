namespace Virt.Contract;

/// <summary>
/// Snapshot list filters as libvirt's virDomainMomentObjListGetNames applies them, on the tree
/// a → b → c, a → d (all of a shut-off domain, so all "inactive", all with metadata).
/// </summary>
public abstract class SnapshotListContract(ContractTarget target) : SnapshotContract(target)
{
    [SetUp]
    public void MakeTree()
    {
        Chain("a", "b", "c");
        Domain.LookupSnapshot("a").Revert();
        Create("d");
    }

    [Test]
    public void NoFlagsListsEverySnapshot() => Assert.That(Listed(), Is.EqualTo(new[] { "a", "b", "c", "d" }));

    [Test]
    public void RootsListsSnapshotsWithoutParent() => Assert.That(Listed(SnapshotListFlags.Roots), Is.EqualTo(new[] { "a" }));

    [Test]
    public void LeavesAndNoLeavesSplitTheTree()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Listed(SnapshotListFlags.Leaves), Is.EqualTo(new[] { "c", "d" }));
            Assert.That(Listed(SnapshotListFlags.NoLeaves), Is.EqualTo(new[] { "a", "b" }));
            // libvirt's virDomainMomentObjListGetNames applies both (its API documentation says otherwise); virsh
            // snapshot-list --leaves --no-leaves lists nothing.
            Assert.That(Listed(SnapshotListFlags.Leaves | SnapshotListFlags.NoLeaves), Is.Empty);
        });
    }

    [Test]
    public void RootsAndLeavesCombine() => Assert.That(Listed(SnapshotListFlags.Roots | SnapshotListFlags.NoLeaves), Is.EqualTo(new[] { "a" }));

    [Test]
    public void MetadataAndNoMetadata()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Listed(SnapshotListFlags.Metadata), Is.EqualTo(new[] { "a", "b", "c", "d" }));
            Assert.That(Listed(SnapshotListFlags.NoMetadata), Is.Empty);
        });
    }

    [Test]
    public void SnapshotsOfAShutOffDomainAreInactive()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Listed(SnapshotListFlags.Inactive), Is.EqualTo(new[] { "a", "b", "c", "d" }));
            Assert.That(Listed(SnapshotListFlags.Active), Is.Empty);
            Assert.That(Listed(SnapshotListFlags.DiskOnly), Is.Empty);
        });
    }

    [Test]
    public void TopologicalListsEveryParentBeforeItsChildren()
    {
        var order = Domain.ListSnapshots(SnapshotListFlags.Topological).Select(s => s.Name).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(order, Is.EquivalentTo(new[] { "a", "b", "c", "d" }));
            Assert.That(order.IndexOf("a"), Is.LessThan(order.IndexOf("b")));
            Assert.That(order.IndexOf("b"), Is.LessThan(order.IndexOf("c")));
            Assert.That(order.IndexOf("a"), Is.LessThan(order.IndexOf("d")));
        });
    }

    [Test]
    public void ChildrenAreDirectByDefaultAndEveryDescendantWithDescendants()
    {
        var a = Domain.LookupSnapshot("a");
        Assert.Multiple(() =>
        {
            Assert.That(Names(a.ListChildren()), Is.EqualTo(new[] { "b", "d" }));
            Assert.That(Names(a.ListChildren(SnapshotListFlags.Descendants)), Is.EqualTo(new[] { "b", "c", "d" }));
            Assert.That(Domain.LookupSnapshot("c").ListChildren(SnapshotListFlags.Descendants), Is.Empty);
        });
    }

    [Test]
    public void ChildrenFiltersApplyToTheChildren()
    {
        var a = Domain.LookupSnapshot("a");
        Assert.Multiple(() =>
        {
            Assert.That(Names(a.ListChildren(SnapshotListFlags.Leaves)), Is.EqualTo(new[] { "d" }));
            Assert.That(Names(a.ListChildren(SnapshotListFlags.Descendants | SnapshotListFlags.Leaves)), Is.EqualTo(new[] { "c", "d" }));
            Assert.That(Names(a.ListChildren(SnapshotListFlags.Descendants | SnapshotListFlags.NoLeaves)), Is.EqualTo(new[] { "b" }));
        });
    }

    [Test]
    public void CurrentIsTheLastCreated() => Assert.That(CurrentName, Is.EqualTo("d"));

    [Test]
    public void ListedHandlesKnowWhetherTheyAreCurrent()
    {
        var current = Domain.ListSnapshots().Where(s => s.IsCurrent).Select(s => s.Name);
        Assert.That(current, Is.EqualTo(new[] { "d" }));
    }
}
