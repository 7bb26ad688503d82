using Virt.IO;
using Virt.TestSupport;

namespace Virt.Core.Tests.IO;

/// <summary>What the kernel receives from the atomic writer with the real steps: the temporary file fsynced, renamed
/// (never copied) and the folder fsynced, in that order. A missing fsync is invisible to a crash test (SIGKILL keeps
/// the page cache), so these tests watch the calls themselves.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicFileDurabilityTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-durable-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string[] Traced(Action write)
    {
        using var trace = SyscallTrace.OfThisThread();
        write();
        return SyscallTrace.Durability(trace.Stop(_dir), _dir);
    }

    [Test]
    public void AReplacementReachesTheDiskAsFsyncOfTheTemporaryFileRenameAndFsyncOfTheFolder()
    {
        string path = Path.Combine(_dir, "f");
        File.WriteAllText(path, "old");

        string[] calls = Traced(() => new AtomicFile().Write(path, "new"));

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(new[] { "create .f.TEMP.tmp", "fsync .f.TEMP.tmp", "rename .f.TEMP.tmp f", "fsync DIR" }));
            Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        });
    }

    [Test]
    public void ACreationReachesTheDiskAsFsyncOfTheTemporaryFileLinkUnlinkAndFsyncOfTheFolder()
    {
        string path = Path.Combine(_dir, "f");

        string[] calls = Traced(() => new AtomicFile().TryCreate(path, AtomicFile.PrivateFile, s => s.Write("new"u8), out _));

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(new[] { "create .f.TEMP.tmp", "fsync .f.TEMP.tmp", "link .f.TEMP.tmp f", "unlink .f.TEMP.tmp", "fsync DIR" }));
            Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        });
    }

    [Test]
    public void ARemovalReachesTheDiskAsUnlinkAndFsyncOfTheFolder()
    {
        string path = Path.Combine(_dir, "f");
        File.WriteAllText(path, "old");

        string[] calls = Traced(() => new AtomicFile().Delete(path));

        Assert.That(calls, Is.EqualTo(new[] { "unlink f", "fsync DIR" }));
    }

    [Test]
    public void WritesWithoutDurabilityMakeNoFsyncButStillRename()
    {
        string path = Path.Combine(_dir, "f");

        string[] calls = Traced(() => new AtomicFile(durable: false).Write(path, "new"));

        Assert.That(calls, Is.EqualTo(new[] { "create .f.TEMP.tmp", "rename .f.TEMP.tmp f" }));
    }
}
