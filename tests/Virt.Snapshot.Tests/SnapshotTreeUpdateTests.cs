using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

public class SnapshotTreeUpdateTests
{
    [Test]
    public void AnUpdateReplacesTheDefinitionInItsPlace()
    {
        var tree = Sample();
        string[] order = Names(tree.ListChildren("a"));
        string? current = tree.CurrentName;
        var saved = new List<(string, bool)>();

        var stored = tree.Update(tree.Get("b") with { Description = "merged" }, new RecordingHandler(saved));

        Assert.Multiple(() =>
        {
            Assert.That(stored.Description, Is.EqualTo("merged"));
            Assert.That(tree.Get("b").Description, Is.EqualTo("merged"));
            Assert.That(Names(tree.ListChildren("a")), Is.EqualTo(order), "siblings keep their order (a redefine would move it)");
            Assert.That(Names(tree.ListChildren("b")), Is.EqualTo(new[] { "c", "d" }).Or.EqualTo(new[] { "d", "c" }));
            Assert.That(tree.CurrentName, Is.EqualTo(current));
            Assert.That(saved, Is.EqualTo(new[] { ("b", false) }));
        });
    }

    [Test]
    public void AnUpdateThatMovesTheSnapshotOrNamesNoneIsRefused()
    {
        var tree = Sample();

        var moved = Assert.Throws<VirtException>(() => tree.Update(tree.Get("b") with { ParentName = "f" }))!;
        var missing = Assert.Throws<VirtException>(() => tree.Update(Def("zz")))!;

        Assert.Multiple(() =>
        {
            Assert.That(moved.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(tree.GetParentName("b"), Is.EqualTo("a"));
            Assert.That(missing.Code, Is.EqualTo(VirtErrorCode.NoDomainSnapshot));
        });
    }

    [Test]
    public void AHandlerThatFailsLeavesTheOldDefinition()
    {
        var tree = Sample();

        Assert.Throws<IOException>(() => tree.Update(tree.Get("b") with { Description = "x" }, new FailingHandler()));

        Assert.That(tree.Get("b").Description, Is.Null);
    }

    private sealed class RecordingHandler(List<(string, bool)> saved) : SnapshotChangeHandler
    {
        public override void Saving(SnapshotDefinition snapshot, bool isNew) => saved.Add((snapshot.Name!, isNew));
    }

    private sealed class FailingHandler : SnapshotChangeHandler
    {
        public override void Saving(SnapshotDefinition snapshot, bool isNew) => throw new IOException("storage failed");
    }
}
