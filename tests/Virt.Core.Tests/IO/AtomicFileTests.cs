using Virt.IO;

namespace Virt.Core.Tests.IO;

/// <summary>The atomic writer's calls, observed through its one seam in the order they really happen.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicFileTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-atomic-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>The real calls, each recorded as "call(file name)" before it is made.</summary>
    private sealed class RecordingSteps : FileSteps
    {
        public List<string> Calls { get; } = [];

        public string? FailAt { get; init; }

        private void Record(string call, string path)
        {
            Calls.Add($"{call}({Path.GetFileName(path)})");
            if (call == FailAt)
            {
                throw new IOException("No space left on device");
            }
        }

        public override FileStream CreateTemp(string path, UnixFileMode mode)
        {
            Record("create", path);
            return base.CreateTemp(path, mode);
        }

        public override void Fsync(FileStream stream)
        {
            Record("fsync", stream.Name);
            base.Fsync(stream);
        }

        public override void Rename(string from, string to)
        {
            Record("rename", from + "->" + Path.GetFileName(to));
            base.Rename(from, to);
        }

        public override bool LinkNoReplace(string from, string to)
        {
            Record("link", from + "->" + Path.GetFileName(to));
            return base.LinkNoReplace(from, to);
        }

        public override void Unlink(string path)
        {
            Record("unlink", path);
            base.Unlink(path);
        }

        public override void FsyncDirectory(string directory)
        {
            Record("fsync-dir", directory);
            base.FsyncDirectory(directory);
        }
    }

    private string[] Shape(IEnumerable<string> calls)
    {
        string dirName = Path.GetFileName(_dir);
        return calls.Select(c => System.Text.RegularExpressions.Regex.Replace(c, @"\.f\.[0-9A-F]{12}\.tmp", ".f.TEMP.tmp").Replace("(" + dirName + ")", "(DIR)", StringComparison.Ordinal)).ToArray();
    }

    [Test]
    public void AReplacementFsyncsTheTemporaryFileThenRenamesItThenFsyncsTheFolder()
    {
        var steps = new RecordingSteps();
        string path = Path.Combine(_dir, "f");
        File.WriteAllText(path, "old");

        var notDurable = new AtomicFile(steps).Write(path, "new");

        Assert.Multiple(() =>
        {
            Assert.That(notDurable, Is.Null);
            Assert.That(Shape(steps.Calls), Is.EqualTo(new[] { "create(.f.TEMP.tmp)", "fsync(.f.TEMP.tmp)", "rename(.f.TEMP.tmp->f)", "fsync-dir(DIR)" }));
            Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
        });
    }

    [Test]
    public void ACreationLinksTheTemporaryFileWithoutReplacingThenUnlinksItThenFsyncsTheFolder()
    {
        var steps = new RecordingSteps();
        string path = Path.Combine(_dir, "f");

        bool created = new AtomicFile(steps).TryCreate(path, AtomicFile.PrivateFile, s => s.Write("new"u8), out var notDurable);
        bool again = new AtomicFile().TryCreate(path, AtomicFile.PrivateFile, s => s.Write("other"u8), out _);

        Assert.Multiple(() =>
        {
            Assert.That(created, Is.True);
            Assert.That(notDurable, Is.Null);
            Assert.That(again, Is.False, "an existing name is never replaced");
            Assert.That(Shape(steps.Calls), Is.EqualTo(new[] { "create(.f.TEMP.tmp)", "fsync(.f.TEMP.tmp)", "link(.f.TEMP.tmp->f)", "unlink(.f.TEMP.tmp)", "fsync-dir(DIR)" }));
            Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
            Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
        });
    }

    [TestCase("create")]
    [TestCase("fsync")]
    [TestCase("rename")]
    public void AFailureBeforeTheRenameKeepsTheOldFileAndLeavesNoTemporaryFile(string failAt)
    {
        var steps = new RecordingSteps { FailAt = failAt };
        string path = Path.Combine(_dir, "f");
        File.WriteAllText(path, "old");

        Assert.Throws<IOException>(() => new AtomicFile(steps).Write(path, "new"));

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
            Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
        });
    }

    [Test]
    public void AFolderFsyncFailingAfterTheRenameIsReturnedNotThrown()
    {
        var steps = new RecordingSteps { FailAt = "fsync-dir" };
        string path = Path.Combine(_dir, "f");

        var notDurable = new AtomicFile(steps).Write(path, "new");

        Assert.Multiple(() =>
        {
            Assert.That(notDurable?.Message, Is.EqualTo("No space left on device"));
            Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        });
    }

    [Test]
    public void ARemovalUnlinksThenFsyncsTheFolderAndAMissingFileNeedsNoFsync()
    {
        var steps = new RecordingSteps();
        string path = Path.Combine(_dir, "f");
        File.WriteAllText(path, "old");
        var file = new AtomicFile(steps);

        file.Delete(path);
        file.Delete(path);

        Assert.That(Shape(steps.Calls), Is.EqualTo(new[] { "unlink(f)", "fsync-dir(DIR)", "unlink(f)" }));
    }
}
