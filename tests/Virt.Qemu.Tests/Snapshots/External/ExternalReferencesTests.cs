using Virt.Conf;
using Virt.Qemu.Driver.Snapshots;
using Virt.Qemu.Images;
using Virt.Snapshot;

namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>Which files a domain and its snapshots need, on real qcow2 chains made by <see cref="QemuImage.CreateOverlay"/>.</summary>
public sealed class ExternalReferencesTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("virt-extrefs-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void EveryLayerOfTheLiveChainIsReferencedAndASiblingOverlayIsNot()
    {
        string b = Base("b.qcow2");
        string m = Overlay("m.qcow2", b);
        string t = Overlay("t.qcow2", m);
        string sibling = Overlay("sibling.qcow2", b);

        var refs = ExternalReferences.Of([Domain(t)], [], null);

        Assert.Multiple(() =>
        {
            Assert.That(refs.Files, Is.EquivalentTo(new[] { t, m, b }));
            Assert.That(refs.IsComplete, Is.True);
            Assert.That(refs.Unreferenced([t, m, b, sibling]), Is.EqualTo(new[] { sibling }));
            Assert.That(refs.BackingOf(t), Is.EqualTo(m));
            Assert.That(refs.BackingOf(b), Is.Null);
        });
    }

    [Test]
    public void ASnapshotKeepsItsPointInTimeFilesButNotItsOverlayWhenNothingUsesIt()
    {
        string f = Base("f.qcow2");
        string overlay = Overlay("f.s1", f);
        string revert = Overlay("f.1700000000000000", f);
        var snapshot = Snapshot("s1", f, overlay);

        var refs = ExternalReferences.Of([Domain(revert)], [snapshot], null);

        Assert.Multiple(() =>
        {
            Assert.That(refs.Files, Is.EquivalentTo(new[] { revert, f }));
            Assert.That(refs.Unreferenced([overlay]), Is.EqualTo(new[] { overlay }), "the overlay of the state left is not needed");
            Assert.That(refs.LayersAbove(f), Is.EqualTo(new[] { revert }));
        });
    }

    [Test]
    public void TheOverlayOfASnapshotIsKeptWhileALaterSnapshotsChainHoldsIt()
    {
        string f = Base("f.qcow2");
        string o1 = Overlay("f.s1", f);
        string o2 = Overlay("f.s2", o1);
        string branch = Overlay("f.1700000000000000", f);

        var refs = ExternalReferences.Of([Domain(branch)], [Snapshot("s1", f, o1), Snapshot("s2", o1, o2)], null);

        Assert.Multiple(() =>
        {
            Assert.That(refs.Files, Is.EquivalentTo(new[] { branch, f, o1 }));
            Assert.That(refs.LayersAbove(f), Is.EqualTo(new[] { o1, branch }.Order(StringComparer.Ordinal)));
            Assert.That(refs.Unreferenced([o2, o1, f]), Is.EqualTo(new[] { o2 }));
        });
    }

    [Test]
    public void TheMemoryFileNvramAndNvramCopyOfASnapshotAreReferenced()
    {
        string f = Base("f.qcow2");
        string memory = Touch("s1.mem");
        string nvram = Touch("vm_VARS.fd");
        string copy = Touch("s1.nvram");
        string otherCopy = Touch("gone.nvram");
        var def = Domain(f);
        def.Os.Nvram = new DomainNvram { Path = nvram };
        var snapshot = Snapshot("s1", f, Path.Combine(_dir, "f.s1")) with { Memory = SnapshotLocation.External, MemoryFile = memory, State = SnapshotState.Running };

        var refs = ExternalReferences.Of([def, null], [snapshot], name => Path.Combine(_dir, name + ".nvram"));

        Assert.Multiple(() =>
        {
            Assert.That(refs.Files, Is.EquivalentTo(new[] { f, memory, nvram, copy }));
            Assert.That(refs.Unreferenced([memory, copy, otherCopy]), Is.EqualTo(new[] { otherCopy }));
        });
    }

    [Test]
    public void AMissingFileInAChainMakesTheReferencesIncompleteAndNothingUnreferenced()
    {
        string b = Base("b.qcow2");
        string m = Overlay("m.qcow2", b);
        string t = Overlay("t.qcow2", m);
        string stray = Overlay("stray.qcow2", b);
        File.Delete(m);

        var refs = ExternalReferences.Of([Domain(t)], [], null);

        Assert.Multiple(() =>
        {
            Assert.That(refs.IsComplete, Is.False);
            Assert.That(refs.Problems.Single(), Does.Contain("m.qcow2"));
            Assert.That(refs.Unreferenced([stray]), Is.Empty, "b may be needed below the missing file: nothing is deleted on a guess");
        });
    }

    [Test]
    public void PathsAreComparedWithSymbolicLinksResolved()
    {
        string b = Base("b.qcow2");
        string link = Path.Combine(_dir, "link.qcow2");
        File.CreateSymbolicLink(link, b);
        string t = Overlay("t.qcow2", link);

        var refs = ExternalReferences.Of([Domain(t)], [], null);

        Assert.Multiple(() =>
        {
            Assert.That(refs.Contains(b), Is.True);
            Assert.That(refs.Contains(link), Is.True);
            Assert.That(refs.Unreferenced([link, b]), Is.Empty);
        });
    }

    [Test]
    public void ChainOfListsTheLayersTopFirst()
    {
        string b = Base("b.qcow2");
        string m = Overlay("m.qcow2", b);
        string t = Overlay("t.qcow2", m);

        Assert.That(ExternalReferences.ChainOf(t, "qcow2"), Is.EqualTo(new[] { t, m, b }));
    }

    private string Base(string name)
    {
        string path = Path.Combine(_dir, name);
        QemuImage.Create(path, 1024 * 1024);
        return path;
    }

    private string Overlay(string name, string backing)
    {
        string path = Path.Combine(_dir, name);
        QemuImage.CreateOverlay(path, backing, "qcow2");
        return path;
    }

    private string Touch(string name)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, [1, 2, 3]);
        return path;
    }

    private static DomainDefinition Domain(string disk) => DomainDefinition.Parse($"""
        <domain type='qemu'>
          <name>vm</name>
          <memory unit='MiB'>16</memory>
          <os><type arch='x86_64'>hvm</type></os>
          <devices>
            <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disk}'/><target dev='vda' bus='virtio'/></disk>
          </devices>
        </domain>
        """);

    private static SnapshotDefinition Snapshot(string name, string pointInTime, string overlay) => new()
    {
        Name = name,
        State = SnapshotState.DiskSnapshot,
        Memory = SnapshotLocation.No,
        Disks = [new SnapshotDiskDefinition { Name = "vda", Snapshot = SnapshotLocation.External, SourceType = "file", SourcePath = overlay, DriverType = "qcow2" }],
        DomainXml = Domain(pointInTime).ToXml(),
    };
}
