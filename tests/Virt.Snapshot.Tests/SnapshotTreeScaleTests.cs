using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

/// <summary>100,000-deep chains and 100,000-wide fans: no recursion, so no stack overflow.</summary>
public class SnapshotTreeScaleTests
{
    private const int N = 100_000;

    private static readonly SnapshotDefinition Template = Def("t");

    [Test]
    public void A100kDeepChainListsWalksAndDeletesWithoutStackOverflow()
    {
        var tree = new SnapshotTree();
        for (int i = 0; i < N; i++)
        {
            tree.Add(Template with { Name = "s" + i, ParentName = i == 0 ? null : "s" + (i - 1) }, i == N - 1);
        }

        Assert.Multiple(() =>
        {
            Assert.That(tree.List(SnapshotListFlags.Topological), Has.Count.EqualTo(N));
            Assert.That(tree.ListChildren("s0", SnapshotListFlags.Descendants), Has.Count.EqualTo(N - 1));
            Assert.That(Names(tree.List(SnapshotListFlags.Leaves)), Is.EqualTo(new[] { "s99999" }));
            Assert.That(tree.FindInconsistency(), Is.Null);
        });

        tree.Redefine(Template with { Name = "s0", Description = "x" });
        Assert.That(() => tree.Redefine(Template with { Name = "s0", ParentName = "s99999" }), Throws.TypeOf<VirtException>());

        tree.Delete("s49999", SnapshotDeleteFlags.Children);
        Assert.Multiple(() =>
        {
            Assert.That(tree.Count, Is.EqualTo(49_999));
            Assert.That(tree.CurrentName, Is.EqualTo("s49998"));
            Assert.That(tree.FindInconsistency(), Is.Null);
        });

        tree.Clear();
        Assert.That(tree.Count, Is.EqualTo(0));
    }

    [Test]
    public void A100kWideFanDeletesItsHubMovingEveryChildInLinearTime()
    {
        var tree = new SnapshotTree();
        tree.Add(Template with { Name = "hub" }, false);
        for (int i = 0; i < N; i++)
        {
            tree.Add(Template with { Name = "c" + i, ParentName = "hub" }, false);
        }

        Assert.That(tree.ListChildren("hub"), Has.Count.EqualTo(N));
        Assert.That(tree.List(SnapshotListFlags.Leaves), Has.Count.EqualTo(N));

        tree.Delete("hub");

        Assert.Multiple(() =>
        {
            Assert.That(tree.List(SnapshotListFlags.Roots), Has.Count.EqualTo(N));
            Assert.That(tree.FindInconsistency(), Is.Null);
        });
    }
}
