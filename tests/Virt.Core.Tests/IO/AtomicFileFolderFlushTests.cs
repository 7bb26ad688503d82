using Virt.IO;

namespace Virt.Core.Tests.IO;

/// <summary>A folder fsync refused for permission (an SELinux or read-only mount denial) after the new name is in
/// place: the change stands and is returned as not durable, as an I/O failure of the fsync is; and whether a
/// writer fsyncs at all.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicFileFolderFlushTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-flush-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private sealed class DeniedFolderFlush : FileSteps
    {
        public override void FsyncDirectory(string directory) => throw new UnauthorizedAccessException("Permission denied");
    }

    [Test]
    public void AFolderFsyncRefusedForPermissionIsReturnedAsNotDurableAndTheChangeStands()
    {
        string replaced = Path.Combine(_dir, "replaced");
        string created = Path.Combine(_dir, "created");
        var file = new AtomicFile(new DeniedFolderFlush());

        var replaceResult = file.Write(replaced, "new");
        bool made = file.TryCreate(created, AtomicFile.PrivateFile, s => s.Write("made"u8), out var createResult);
        var deleteResult = file.Delete(replaced);

        Assert.Multiple(() =>
        {
            Assert.That(replaceResult, Is.TypeOf<IOException>());
            Assert.That(replaceResult!.Message, Is.EqualTo("Permission denied"));
            Assert.That(replaceResult.InnerException, Is.TypeOf<UnauthorizedAccessException>());
            Assert.That(made, Is.True);
            Assert.That(createResult?.Message, Is.EqualTo("Permission denied"));
            Assert.That(File.ReadAllText(created), Is.EqualTo("made"));
            Assert.That(deleteResult?.Message, Is.EqualTo("Permission denied"));
            Assert.That(File.Exists(replaced), Is.False);
            Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { created }));
        });
    }

    [Test]
    public void WritersFsyncUnlessMadeWithoutDurability()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new AtomicFile().Durable, Is.True);
            Assert.That(new AtomicFile(durable: true).Durable, Is.True);
            Assert.That(new AtomicFile(durable: false).Durable, Is.False);
            Assert.That(new AtomicFile(durable: false, _ => { }).Durable, Is.False);
            Assert.That(new AtomicFile(new FileSteps(durable: false)).Durable, Is.False);
        });
    }
}
