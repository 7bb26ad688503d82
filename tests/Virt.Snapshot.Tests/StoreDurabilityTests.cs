using System.Runtime.Versioning;
using Virt.TestSupport;
using static Virt.Snapshot.Tests.TreeBuilder;

namespace Virt.Snapshot.Tests;

/// <summary>What the kernel receives from the snapshot store with its default (real) writer: each metadata file is
/// written to a temporary name, fsynced, renamed (never copied) and the folder fsynced; a removal is an unlink and a
/// folder fsync. SIGKILL keeps the page cache, so the crash tests cannot see a missing fsync; these can.</summary>
[SupportedOSPlatform("linux")]
public sealed class StoreDurabilityTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-snap-durable-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void SavingSettingCurrentAndRemovingReachTheDiskInTheSafeOrder()
    {
        using var store = new SnapshotMetadataStore(_dir);
        store.Save(Def("a"));

        string[] calls;
        using (var trace = SyscallTrace.OfThisThread())
        {
            store.Save(Def("b", "a"));
            store.WriteCurrent("b");
            store.Remove("a");
            calls = SyscallTrace.Durability(trace.Stop(_dir), _dir);
        }

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(new[]
            {
                "create .b.xml.TEMP.tmp", "fsync .b.xml.TEMP.tmp", "rename .b.xml.TEMP.tmp b.xml", "fsync DIR",
                "create .current.TEMP.tmp", "fsync .current.TEMP.tmp", "rename .current.TEMP.tmp current", "fsync DIR",
                "unlink a.xml", "fsync DIR",
            }));
            Assert.That(File.ReadAllText(Path.Combine(_dir, "current")), Is.EqualTo("b\n"));
            Assert.That(File.Exists(Path.Combine(_dir, "a.xml")), Is.False);
        });
    }
}
