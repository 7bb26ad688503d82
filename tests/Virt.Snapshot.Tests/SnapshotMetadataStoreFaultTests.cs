using System.Diagnostics;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Moq;
using Virt.Snapshot.Store;
using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

/// <summary>Injected storage faults: memory and disk never disagree; hostile folder contents cannot hang or exhaust
/// <see cref="SnapshotMetadataStore.Load()"/>.</summary>
[SupportedOSPlatform("linux")]
public class SnapshotMetadataStoreFaultTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-snap-fault-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private SnapshotMetadataStore FailingFolderFlush(ListLogger log) =>
        new(_dir, new AtomicFile(durable: true, step => { if (step == "fsync-dir") { throw new IOException("Input/output error"); } }), log);

    private SnapshotStoreLoadResult Reload()
    {
        using var store = new SnapshotMetadataStore(_dir);
        return store.Load();
    }

    /// <summary>Runs <paramref name="change"/> with a store that is released afterwards (one store owns the folder at a time).</summary>
    private static void With(SnapshotMetadataStore store, Action<SnapshotMetadataStore> change)
    {
        using (store)
        {
            change(store);
        }
    }

    [Test]
    public void AFolderFlushFailingAfterTheRenameKeepsTheNewSnapshotInMemoryAndOnDiskAndWarns()
    {
        var tree = new SnapshotTree();
        With(new SnapshotMetadataStore(_dir), s => tree.Add(Def("a"), true, s));
        var log = new ListLogger();

        With(FailingFolderFlush(log), s => tree.Add(Def("b", "a"), true, s));

        var reloaded = Reload();
        Assert.Multiple(() =>
        {
            Assert.That(Shape(tree), Is.EqualTo("a<- b<a current=b"));
            Assert.That(Shape(reloaded.Tree), Is.EqualTo(Shape(tree)), "disk matches memory");
            Assert.That(reloaded.Diagnostics, Is.Empty);
            Assert.That(log.Entries.Select(e => (e.Level, e.EventId)), Is.EqualTo(new[] { (LogLevel.Warning, 3000), (LogLevel.Warning, 3000) }));
            Assert.That(log.Entries[0].Message, Is.EqualTo(
                $"snapshot metadata change made but not flushed to disk: metadata of snapshot 'b' written in '{_dir}'; it may be lost if the host crashes: Input/output error"));
            Assert.That(log.Entries[1].Message, Does.StartWith("snapshot metadata change made but not flushed to disk: 'b' recorded as the current snapshot in"));
        });
    }

    [Test]
    public void AFolderFlushFailingAfterAnUnlinkStillDeletesInMemoryToo()
    {
        var tree = new SnapshotTree();
        With(new SnapshotMetadataStore(_dir), store =>
        {
            tree.Add(Def("a"), true, store);
            tree.Add(Def("b", "a"), false, store);
        });
        var log = new ListLogger();

        With(FailingFolderFlush(log), s => tree.Delete("a", SnapshotDeleteFlags.None, s));

        var reloaded = Reload();
        Assert.Multiple(() =>
        {
            Assert.That(Shape(tree), Is.EqualTo("b<- current=-"));
            Assert.That(Shape(reloaded.Tree), Is.EqualTo(Shape(tree)), "disk matches memory");
            Assert.That(log.Entries.Select(e => e.Message), Has.Some.StartWith("snapshot metadata change made but not flushed to disk: current snapshot marker cleared in"));
            Assert.That(log.Entries.Select(e => e.Message), Has.Some.StartWith("snapshot metadata change made but not flushed to disk: metadata of snapshot 'a' removed in"));
        });
    }

    [TestCase("write")]
    [TestCase("rename")]
    [TestCase("unlink")]
    public void AStepFailingBeforeThePointOfNoReturnChangesNeitherMemoryNorDisk(string failingStep)
    {
        var tree = new SnapshotTree();
        With(new SnapshotMetadataStore(_dir), store =>
        {
            tree.Add(Def("a"), true, store);
            tree.Add(Def("b", "a"), false, store);
        });
        var failing = new SnapshotMetadataStore(_dir, new AtomicFile(durable: true, step => { if (step == failingStep) { throw new IOException("disk full"); } }));

        var ex = Assert.Throws<VirtException>(() => With(failing, f =>
        {
            tree.Delete("b", SnapshotDeleteFlags.None, f);
            tree.Add(Def("c", "a"), true, f);
        }));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.WriteFailed));
            Assert.That(Shape(Reload().Tree), Is.EqualTo(Shape(tree)), "disk matches memory");
        });
    }

    [Test]
    public void WithTheStoreLastInCombineAFailingDriverHandlerLeavesDiskAsMemory()
    {
        var tree = new SnapshotTree();
        var store = new SnapshotMetadataStore(_dir);
        tree.Add(Def("a"), true, store);
        var driver = new Mock<SnapshotChangeHandler> { CallBase = true };
        driver.Setup(h => h.Saving(It.IsAny<SnapshotDefinition>(), true)).Throws(new VirtException(VirtErrorCode.OperationFailed, "qemu-img failed"));
        driver.Setup(h => h.Removing(It.IsAny<SnapshotDefinition>())).Throws(new VirtException(VirtErrorCode.OperationFailed, "qemu-img failed"));

        Assert.Throws<VirtException>(() => tree.Add(Def("b", "a"), true, SnapshotChangeHandler.Combine(driver.Object, store)));
        Assert.Throws<VirtException>(() => tree.Delete("a", SnapshotDeleteFlags.None, SnapshotChangeHandler.Combine(driver.Object, store)));
        store.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(Shape(tree), Is.EqualTo("a<- current=-"), "current was cleared before the removal failed");
            Assert.That(Shape(Reload().Tree), Is.EqualTo(Shape(tree)));
        });
    }

    [Test]
    public void ACurrentMarkerFailingAfterASnapshotWasSavedRemovesItsFileAgain()
    {
        var tree = new SnapshotTree();
        With(new SnapshotMetadataStore(_dir), s => tree.Add(Def("a"), true, s));
        var failing = new SnapshotMetadataStore(_dir, new AtomicFile(durable: true, step => { if (step == "write" && Directory.GetFiles(_dir).Length == 3) { throw new IOException("disk full"); } }));

        var ex = Assert.Throws<VirtException>(() => With(failing, f => tree.Add(Def("b", "a"), true, f)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo("failed to write file: cannot record 'b' as the current snapshot: disk full"));
            Assert.That(tree.Contains("b"), Is.False);
            Assert.That(Shape(Reload().Tree), Is.EqualTo("a<- current=a"));
        });
        With(new SnapshotMetadataStore(_dir), s => tree.Add(Def("b", "a"), true, s));
        Assert.That(Shape(Reload().Tree), Is.EqualTo("a<- b<a current=b"), "a retry with the same name works");
    }

    // Attribute strings cannot hold lone surrogates (they are stored as UTF-8), so the cases are code units.
    [TestCase(new[] { 'x', (char)0xD800 })]
    [TestCase(new[] { 'x', (char)0xDBFF })]
    [TestCase(new[] { (char)0xDC00, 'x' })]
    [TestCase(new[] { 'x', (char)0xDC00, (char)0xD800 })]
    public void NamesWithUnpairedSurrogatesAreInvalidSoTwoNamesNeverShareAFile(char[] units)
    {
        string name = new(units);
        var ex = Assert.Throws<VirtException>(() => new SnapshotTree().Add(Def(name), false, new SnapshotMetadataStore(_dir)));

        string printable = string.Concat(name.Select(c => char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Is.EqualTo($"invalid argument: invalid snapshot name '{printable}': name can't contain unpaired UTF-16 surrogates"));
            Assert.That(Directory.GetFiles(_dir), Is.Empty);
        });
    }

    [Test]
    public void NamesWithPairedSurrogatesAreFineAndReload()
    {
        With(new SnapshotMetadataStore(_dir), store => new SnapshotTree().Add(Def("snap\U0001F600"), false, store));

        Assert.That(Names(Reload().Tree.List()), Is.EqualTo(new[] { "snap\U0001F600" }));
    }

    [Test]
    public void AHugeFileIsReportedWithoutBeingReadAndTheRestLoads()
    {
        With(new SnapshotMetadataStore(_dir), s => new SnapshotTree().Add(Def("a"), true, s));
        string big = Path.Combine(_dir, "big.xml");
        using (var sparse = File.Create(big))
        {
            sparse.SetLength(1L << 32);
        }

        var loaded = Reload();

        Assert.Multiple(() =>
        {
            Assert.That(Names(loaded.Tree.List()), Is.EqualTo(new[] { "a" }));
            Assert.That(loaded.Tree.CurrentName, Is.EqualTo("a"));
            Assert.That(loaded.Diagnostics.Select(d => d.ToString()), Is.EqualTo(new[]
            {
                $"{big}: cannot read snapshot 'big': file is 4294967296 bytes, more than the limit of 16777216; file ignored",
            }));
        });
    }

    [Test]
    public void FifosNamedLikeMetadataFilesDoNotHangLoading()
    {
        With(new SnapshotMetadataStore(_dir), s => new SnapshotTree().Add(Def("a"), false, s));
        string fifo = Path.Combine(_dir, "pipe.xml");
        string current = Path.Combine(_dir, "current");
        MakeFifo(fifo);
        MakeFifo(current);

        var load = Task.Run(Reload);
        bool finished = load.Wait(TimeSpan.FromSeconds(20));
        if (!finished)
        {
            Unblock(fifo);
            Unblock(current);
        }

        Assert.That(finished, Is.True, "Load blocked on a FIFO");
        var loaded = load.Result;
        Assert.Multiple(() =>
        {
            Assert.That(Names(loaded.Tree.List()), Is.EqualTo(new[] { "a" }));
            Assert.That(loaded.Diagnostics.Select(d => d.ToString()), Is.EquivalentTo(new[]
            {
                $"{fifo}: cannot read snapshot 'pipe': not a regular file; file ignored",
                $"{current}: cannot read the current snapshot marker: not a regular file; no snapshot is current",
            }));
        });
    }

    private static void MakeFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, "mkfifo " + path);
    }

    private static void Unblock(string fifo)
    {
        try
        {
            using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        }
        catch (IOException)
        {
        }
    }
}
