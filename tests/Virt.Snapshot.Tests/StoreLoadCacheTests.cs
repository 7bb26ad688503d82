using System.Runtime.Versioning;
using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

/// <summary>A load parses only the snapshot files that changed since the last one in the process: a settled file's
/// definition is reused, a file rewritten in place is read again, and a file read before it settled is never reused.</summary>
[SupportedOSPlatform("linux")]
public class StoreLoadCacheTests
{
    private static readonly TimeSpan PastSettling = TimeSpan.FromMilliseconds(150);
    private string _root = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("virt-snap-cache-").FullName;
        _dir = Path.Combine(_root, "snapshots");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private SnapshotDefinition Load(string name)
    {
        using var store = new SnapshotMetadataStore(_dir);
        var loaded = store.Load();
        Assert.That(loaded.Diagnostics, Is.Empty);
        return loaded.Tree.Get(name);
    }

    private void Save(SnapshotDefinition snapshot)
    {
        using var store = new SnapshotMetadataStore(_dir);
        new SnapshotTree().Add(snapshot, false, store);
    }

    private void RewriteInPlace(SnapshotDefinition snapshot)
    {
        using var file = new FileStream(Path.Combine(_dir, snapshot.Name + ".xml"), FileMode.Open, FileAccess.Write);
        var bytes = System.Text.Encoding.UTF8.GetBytes(snapshot.ToXml());
        file.Write(bytes);
        file.SetLength(bytes.Length);
    }

    [Test]
    public void ASettledFileIsParsedOnceAcrossLoads()
    {
        Save(Def("a") with { Description = "one" });
        Thread.Sleep(PastSettling);

        var first = Load("a");
        var second = Load("a");

        Assert.That(second, Is.SameAs(first));
    }

    [Test]
    public void AFileRewrittenInPlaceAfterItWasKeptIsReadAgain()
    {
        Save(Def("a") with { Description = "one" });
        Thread.Sleep(PastSettling);
        Assert.That(Load("a").Description, Is.EqualTo("one"));

        RewriteInPlace(Def("a") with { Description = "two" });

        Assert.That(Load("a").Description, Is.EqualTo("two"));
    }

    [Test]
    public void AFileIsKeptOnlyIfItHadSettledWhenItsStampWasTaken()
    {
        Save(Def("a"));
        string path = Path.Combine(_dir, "a.xml");
        var stamp = Virt.IO.FileStamp.Of(path)!.Value;
        var definition = Def("a");

        // A rewrite within the same clock tick would keep this stamp: a version read so early is never reused.
        SnapshotFileCache.Keep(path, stamp, DateTimeOffset.UtcNow, definition);
        var unsettled = SnapshotFileCache.Find(path, stamp);
        SnapshotFileCache.Keep(path, stamp, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1), definition);

        Assert.Multiple(() =>
        {
            Assert.That(unsettled, Is.Null);
            Assert.That(SnapshotFileCache.Find(path, stamp), Is.SameAs(definition));
        });
    }
}
