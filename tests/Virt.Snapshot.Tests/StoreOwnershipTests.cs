using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

/// <summary>One store owns a metadata folder at a time, in one process or across processes; its temporary files
/// are never removed by another store while it lives, and a dead owner's are.</summary>
[SupportedOSPlatform("linux")]
public class StoreOwnershipTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-snap-owner-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ASecondStoreInTheSameProcessIsRefusedUntilTheFirstIsDisposed()
    {
        var first = new SnapshotMetadataStore(_dir);
        new SnapshotTree().Add(Def("a"), true, first);
        using var second = new SnapshotMetadataStore(_dir);

        var load = Assert.Throws<VirtException>(() => second.Load());
        var save = Assert.Throws<VirtException>(() => second.Save(Def("b")));
        first.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(load!.Code, Is.EqualTo(VirtErrorCode.ResourceBusy));
            Assert.That(load.Message, Is.EqualTo($"resource busy: snapshot metadata folder '{_dir}' is in use by pid {Environment.ProcessId} (another store in this process)"));
            Assert.That(save!.Code, Is.EqualTo(VirtErrorCode.ResourceBusy));
            Assert.That(File.Exists(Path.Combine(_dir, "b.xml")), Is.False, "the refused store wrote nothing");
            Assert.That(Names(second.Load().Tree.List()), Is.EqualTo(new[] { "a" }), "free once the owner is disposed");
            Assert.That(() => first.Load(), Throws.TypeOf<ObjectDisposedException>());
        });
    }

    [Test]
    public void AnotherProcessOwningTheFolderIsNamedByPidAndItsTemporaryFileIsLeftAlone()
    {
        var owner = StoreOwnerChild.Start(_dir);
        string temp = Path.Combine(_dir, StoreOwnerChild.InFlightTemp);
        VirtException? refused;
        try
        {
            using var store = new SnapshotMetadataStore(_dir);
            refused = Assert.Throws<VirtException>(() => store.Load());
            Assert.That(File.Exists(temp), Is.True, "a live writer's temporary file is not removed");
        }
        finally
        {
            StoreOwnerChild.Stop(owner);
        }

        using var after = new SnapshotMetadataStore(_dir);
        var loaded = after.Load();
        Assert.Multiple(() =>
        {
            Assert.That(refused!.Code, Is.EqualTo(VirtErrorCode.ResourceBusy));
            Assert.That(refused.Message, Is.EqualTo($"resource busy: snapshot metadata folder '{_dir}' is in use by pid {StoreOwnerChild.Pid(owner)}"));
            Assert.That(Names(loaded.Tree.List()), Is.EqualTo(new[] { "a" }));
            Assert.That(loaded.Diagnostics, Is.Empty);
            Assert.That(File.Exists(temp), Is.False, "the dead owner's temporary file is removed");
        });
    }

    [Test]
    public void AKilledOwnerReleasesTheFolder()
    {
        var owner = StoreOwnerChild.Start(_dir);
        owner.Kill();
        owner.WaitForExit();

        using var store = new SnapshotMetadataStore(_dir);
        Assert.That(Names(store.Load().Tree.List()), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public void AReadOnlyLookTakesNoOwnershipAndRemovesNothing()
    {
        using var owner = new SnapshotMetadataStore(_dir);
        new SnapshotTree().Add(Def("a"), false, owner);
        File.WriteAllText(Path.Combine(_dir, ".a.xml.000000000000.tmp"), "x");
        using var observer = new SnapshotMetadataStore(_dir);

        var seen = observer.Load(removeLeftovers: false);

        Assert.Multiple(() =>
        {
            Assert.That(Names(seen.Tree.List()), Is.EqualTo(new[] { "a" }));
            Assert.That(File.Exists(Path.Combine(_dir, ".a.xml.000000000000.tmp")), Is.True);
        });
    }

    [Test]
    public void NewFoldersAre0700AllTheWayDownWhateverTheUmask()
    {
        string top = Path.Combine(_dir, "domains");
        string folder = Path.Combine(top, "vm", "snapshots");
        int saved = Umask(Convert.ToInt32("277", 8)); // mkdir alone would give r-x------ at best (and no way to write into it)
        try
        {
            using var store = new SnapshotMetadataStore(folder);
            new SnapshotTree().Add(Def("a"), false, store);
        }
        finally
        {
            _ = Umask(saved);
        }

        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(top), Is.EqualTo(Private));
            Assert.That(File.GetUnixFileMode(Path.Combine(top, "vm")), Is.EqualTo(Private));
            Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(Private));
        });
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern int Umask(int mask);
}
