using System.Runtime.Versioning;
using System.Text;
using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

/// <summary>What a reload of the metadata folder gives back: snapshots in creation order, files with a BOM, the
/// current marker at and past its size limit, files that are not snapshots, and a folder that is never created
/// by a change that has nothing to change.</summary>
[SupportedOSPlatform("linux")]
public class StoreLoadTests
{
    private string _root = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("virt-snap-load-").FullName;
        _dir = Path.Combine(_root, "snapshots");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private SnapshotStoreLoadResult Reload()
    {
        using var store = new SnapshotMetadataStore(_dir);
        return store.Load();
    }

    private void Save(params SnapshotDefinition[] snapshots)
    {
        using var store = new SnapshotMetadataStore(_dir);
        var tree = new SnapshotTree();
        foreach (var s in snapshots)
        {
            tree.Add(s, false, store);
        }
    }

    [Test]
    public void SnapshotsReloadInCreationOrderAndByNameWhenCreatedInTheSameSecond()
    {
        Save(Def("z") with { CreationTime = 100 }, Def("m") with { CreationTime = 300 }, Def("b", "m") with { CreationTime = 200 },
            Def("a") with { CreationTime = 200 }, Def("c") with { CreationTime = 50 });

        var loaded = Reload();

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Diagnostics, Is.Empty);
            Assert.That(Names(loaded.Tree.List()), Is.EqualTo(new[] { "c", "z", "a", "b", "m" }));
            Assert.That(Names(loaded.Tree.List(SnapshotListFlags.Roots)), Is.EqualTo(new[] { "c", "z", "a", "m" }));
            Assert.That(loaded.Tree.GetParentName("b"), Is.EqualTo("m"));
        });
    }

    [Test]
    public void AFileWithAByteOrderMarkLoads()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllBytes(Path.Combine(_dir, "bom.xml"), [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Def("bom").ToXml())]);

        var loaded = Reload();

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Diagnostics, Is.Empty);
            Assert.That(Names(loaded.Tree.List()), Is.EqualTo(new[] { "bom" }));
        });
    }

    [Test]
    public void FilesThatAreNotSnapshotsAreLeftAloneAndNotReported()
    {
        Save(Def("a"));
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not a snapshot");
        File.WriteAllText(Path.Combine(_dir, "a.xml.bak"), "<old/>");
        File.WriteAllText(Path.Combine(_dir, ".hidden.xml"), "<half");

        var loaded = Reload();

        Assert.Multiple(() =>
        {
            Assert.That(Names(loaded.Tree.List()), Is.EqualTo(new[] { "a" }));
            Assert.That(loaded.Diagnostics.Select(d => d.FilePath), Is.EqualTo(new[] { Path.Combine(_dir, ".hidden.xml") }), "a hidden .xml is a snapshot file, not a temporary one");
            Assert.That(loaded.Diagnostics.Single().Message, Does.StartWith("cannot load snapshot '.hidden': XML error: domain snapshot XML is malformed: "));
            Assert.That(File.Exists(Path.Combine(_dir, "notes.txt")), Is.True);
            Assert.That(File.Exists(Path.Combine(_dir, "a.xml.bak")), Is.True);
        });
    }

    [Test]
    public void AFileNamedLikeAnInvalidSnapshotNameIsReportedAndIgnored()
    {
        Save(Def("a"));
        File.WriteAllText(Path.Combine(_dir, "bad\u0001.xml"), Def("a").ToXml());

        var loaded = Reload();

        Assert.Multiple(() =>
        {
            Assert.That(Names(loaded.Tree.List()), Is.EqualTo(new[] { "a" }));
            Assert.That(loaded.Diagnostics.Single().Message, Is.EqualTo("invalid snapshot name 'bad\\x01': name can't contain control characters; file ignored"));
        });
    }

    /// <summary>The same refusals as the store's parameterised name tests, in one test: test runners that pass
    /// cases by name (the mutation runner's) cannot carry a NUL or a lone surrogate in a test name.</summary>
    [Test]
    public void NamesWithControlCharactersOrLoneSurrogatesAreRefusedAndWriteNothing()
    {
        var cases = new (string Name, string Message)[]
        {
            ("a\nb", "invalid snapshot name 'a\\x0ab': name can't contain control characters"),
            ("a\0b", "invalid snapshot name 'a\\x00b': name can't contain control characters"),
            ("x\ud800", "invalid snapshot name 'x\\ud800': name can't contain unpaired UTF-16 surrogates"),
            ("x\udbff", "invalid snapshot name 'x\\udbff': name can't contain unpaired UTF-16 surrogates"),
            ("\udc00x", "invalid snapshot name '\\udc00x': name can't contain unpaired UTF-16 surrogates"),
            ("x\udc00\ud800", "invalid snapshot name 'x\\udc00\\ud800': name can't contain unpaired UTF-16 surrogates"),
            ("\ud83d\ude00\ud800", "invalid snapshot name '\\ud83d\\ude00\\ud800': name can't contain unpaired UTF-16 surrogates"),
        };
        using var store = new SnapshotMetadataStore(_dir);

        Assert.Multiple(() =>
        {
            foreach (var (name, message) in cases)
            {
                var ex = Assert.Throws<VirtException>(() => new SnapshotTree().Add(Def(name), false, store));
                Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
                Assert.That(ex.Message, Is.EqualTo("invalid argument: " + message));
            }

            Assert.That(() => SnapshotMetadataStore.ValidateName("ok\ud83d\ude00"), Throws.Nothing);
            Assert.That(Directory.Exists(_dir), Is.False);
        });
    }

    [Test]
    public void ACurrentMarkerAtItsSizeLimitIsReadAndOneBytePastIsRefused()
    {
        // The marker holds a name of at most 200 UTF-8 bytes, each at most 4 bytes per character, and a newline: 801.
        Save(Def("a"));
        string marker = Path.Combine(_dir, "current");
        File.WriteAllText(marker, new string('x', 800) + "\n");
        var atLimit = Reload();
        File.WriteAllText(marker, new string('x', 801) + "\n");
        var pastLimit = Reload();

        Assert.Multiple(() =>
        {
            Assert.That(atLimit.Diagnostics.Single().Message, Is.EqualTo($"current snapshot '{new string('x', 800)}' does not exist; no snapshot is current"));
            Assert.That(pastLimit.Diagnostics.Single().Message, Is.EqualTo("cannot read the current snapshot marker: file is 802 bytes, more than the limit of 801; no snapshot is current"));
            Assert.That(pastLimit.Tree.CurrentName, Is.Null);
        });
    }

    [Test]
    public void ACurrentMarkerWithoutItsNewlineStillNamesTheSnapshot()
    {
        Save(Def("a"), Def("b"));
        File.WriteAllText(Path.Combine(_dir, "current"), "b");

        var loaded = Reload();

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Diagnostics, Is.Empty);
            Assert.That(loaded.Tree.CurrentName, Is.EqualTo("b"));
        });
    }

    [Test]
    public void ACurrentMarkerThatIsNotUtf8IsReportedAndNoSnapshotIsCurrent()
    {
        Save(Def("a"));
        File.WriteAllBytes(Path.Combine(_dir, "current"), [0x61, 0xff, 0x0a]);

        var loaded = Reload();

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Tree.CurrentName, Is.Null);
            Assert.That(loaded.Diagnostics.Single().Message, Does.StartWith("cannot read the current snapshot marker: Unable to translate bytes [FF] at index 1"));
        });
    }

    [Test]
    public void RemovalsAndClearingCurrentNeverCreateTheFolder()
    {
        using (var store = new SnapshotMetadataStore(_dir))
        {
            store.Remove("a");
            store.WriteCurrent(null);
        }

        Assert.That(Directory.Exists(_dir), Is.False);
    }

    [Test]
    public void ClearingCurrentRemovesTheMarkerAndAReloadHasNoCurrentSnapshot()
    {
        var tree = new SnapshotTree();
        using (var store = new SnapshotMetadataStore(_dir))
        {
            tree.Add(Def("a"), true, store);
            tree.SetCurrent(null, store);
        }

        var loaded = Reload();

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(_dir, "current")), Is.False);
            Assert.That(loaded.Tree.CurrentName, Is.Null);
            Assert.That(loaded.Diagnostics, Is.Empty);
        });
    }

    [Test]
    public void TheStoreAsAHandlerRefusesANullSnapshotAndABadNameWithoutTouchingTheFolder()
    {
        using var store = new SnapshotMetadataStore(_dir);

        Assert.Multiple(() =>
        {
            Assert.That(() => store.Removing(null!), Throws.ArgumentNullException);
            Assert.That(() => store.Save(null!), Throws.ArgumentNullException);
            Assert.That(() => store.WriteCurrent("a/b"), Throws.TypeOf<VirtException>().With.Message.EqualTo("invalid argument: invalid snapshot name 'a/b': name can't contain '/'"));
            Assert.That(() => store.Remove(".."), Throws.TypeOf<VirtException>().With.Message.EqualTo("invalid argument: invalid snapshot name '..': '.' and '..' are not allowed"));
            Assert.That(Directory.Exists(_dir), Is.False);
        });
    }

    [Test]
    public void ADisposedStoreRefusesEveryChange()
    {
        var store = new SnapshotMetadataStore(_dir);
        store.Save(Def("a"));
        store.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(() => store.Save(Def("b")), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => store.Remove("a"), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => store.WriteCurrent("a"), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(() => store.Load(), Throws.TypeOf<ObjectDisposedException>());
            Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { "a.xml" }));
        });
    }

    [Test]
    public void AStoreCreatedWithALoggerFactoryLogsUnderTheSnapshotCategory()
    {
        var factory = new RecordingLoggerFactory();

        using (var store = new SnapshotMetadataStore(_dir, factory))
        {
            store.Save(Def("a"));
        }

        Assert.Multiple(() =>
        {
            Assert.That(factory.Categories, Is.EqualTo(new[] { "Virt.Snapshot" }));
            Assert.That(Names(Reload().Tree.List()), Is.EqualTo(new[] { "a" }));
        });
    }

    private sealed class RecordingLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public List<string> Categories { get; } = [];

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName)
        {
            Categories.Add(categoryName);
            return new ListLogger();
        }

        public void Dispose()
        {
        }
    }
}
