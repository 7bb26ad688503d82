using Virt.Snapshot.Store;
using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

public class StoreScaleTests
{
    [Test]
    public void A10kDeepChainClosedIntoACycleLoadsIterativelyAndIsRepairedOnce()
    {
        const int N = 10_000;
        string dir = Directory.CreateTempSubdirectory("virt-snap-scale-").FullName;
        try
        {
            var store = new SnapshotMetadataStore(dir, new AtomicFile(durable: false));
            var template = Def("t");
            for (int i = 0; i < N; i++)
            {
                // s0's parent is the last one: the whole chain is one big cycle.
                store.Save(template with { Name = "s" + i, ParentName = "s" + ((i + N - 1) % N), CreationTime = 1_000 + i });
            }

            var loaded = store.Load();

            Assert.Multiple(() =>
            {
                Assert.That(loaded.Tree.Count, Is.EqualTo(N));
                Assert.That(loaded.Diagnostics.Select(d => d.Message), Is.EqualTo(new[] { $"snapshot 's0' is part of a parent cycle (its parent was 's{N - 1}'); the snapshot is now a root" }));
                Assert.That(Names(loaded.Tree.List(SnapshotListFlags.Roots)), Is.EqualTo(new[] { "s0" }));
                Assert.That(loaded.Tree.ListChildren("s0", SnapshotListFlags.Descendants), Has.Count.EqualTo(N - 1));
                Assert.That(loaded.Tree.FindInconsistency(), Is.Null);
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
