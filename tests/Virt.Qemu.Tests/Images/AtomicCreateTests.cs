using Virt.IO;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// Creation's durability and safety: a directory that cannot be flushed is an error, cleanup after the
/// image is in place never fails the call, new files are private (0600), and Overwrite writes through a
/// symlink to its target like qemu-img but never replaces a device.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicCreateTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    private static void WriteHello(FileStream s) => s.Write("hello"u8);

    [Test]
    public void DirectoryThatCannotBeFlushedIsAnError()
    {
        var ex = Assert.Throws<IOException>(() => FileSteps.Host.FsyncDirectory(_dir["gone"]));
        Assert.That(ex!.Message, Is.EqualTo($"cannot open directory '{_dir["gone"]}' to flush it to disk: No such file or directory"));
    }

    [Test]
    public void FailedDirectoryFlushIsWriteFailedAndSaysTheImageIsInPlace()
    {
        var commit = new FaultyCommit { SyncError = new IOException("Input/output error") };
        var ex = Assert.Throws<VirtException>(() => AtomicImageFile.Create(_dir["a.img"], false, Private, WriteHello, commit));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.WriteFailed));
            Assert.That(ex.Message, Is.EqualTo($"failed to write file: '{_dir["a.img"]}' was written but its directory '{_dir.Path}' could not be flushed to disk, so the new image may not survive a crash: Input/output error"));
            Assert.That(File.ReadAllText(_dir["a.img"]), Is.EqualTo("hello"));
            Assert.That(Directory.GetFiles(_dir.Path), Is.EqualTo(new[] { _dir["a.img"] }), "the temporary name is gone");
        });
    }

    [Test]
    public void TemporaryNameThatCannotBeRemovedAfterTheLinkDoesNotFailTheCreate()
    {
        var commit = new FaultyCommit { DeleteError = new UnauthorizedAccessException("Permission denied") };
        AtomicImageFile.Create(_dir["a.img"], false, Private, WriteHello, commit);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(_dir["a.img"]), Is.EqualTo("hello"));
            Assert.That(commit.Synced, Is.EqualTo(new[] { _dir.Path }), "the directory is still flushed");
        });
    }

    [Test]
    public void FailedWriteLeavesNothingBehind()
    {
        var ex = Assert.Throws<VirtException>(() => AtomicImageFile.Create(_dir["a.img"], false, Private, _ => throw new IOException("No space left on device")));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo($"failed to write file: '{_dir["a.img"]}': No space left on device"));
            Assert.That(Directory.GetFileSystemEntries(_dir.Path), Is.Empty);
        });
    }

    [Test]
    public void NewImagesArePrivateUnlessAskedOtherwise()
    {
        QemuImage.Create(_dir["default.qcow2"], 1 << 20);
        QemuImage.CreateOverlay(_dir["top.qcow2"], "default.qcow2", "qcow2");
        QemuImage.Create(_dir["shared.qcow2"], 1 << 20, new ImageCreateOptions { Permissions = Private | UnixFileMode.GroupRead });
        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(_dir["default.qcow2"]), Is.EqualTo(Private));
            Assert.That(File.GetUnixFileMode(_dir["top.qcow2"]), Is.EqualTo(Private));
            Assert.That(File.GetUnixFileMode(_dir["shared.qcow2"]), Is.EqualTo(Private | UnixFileMode.GroupRead));
        });
    }

    [Test]
    public void OverwriteReplacesTheFileWithAPrivateOne()
    {
        File.WriteAllText(_dir["old.qcow2"], "old");
        File.SetUnixFileMode(_dir["old.qcow2"], Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        QemuImage.Create(_dir["old.qcow2"], 1 << 20, new ImageCreateOptions { Overwrite = true });
        Assert.That(File.GetUnixFileMode(_dir["old.qcow2"]), Is.EqualTo(Private));
    }

    [Test]
    public void OverwriteOfANameThatDoesNotExistYetCreatesTheImage()
    {
        var info = QemuImage.Create(_dir["new.qcow2"], 1 << 20, new ImageCreateOptions { Overwrite = true });
        var overlay = QemuImage.CreateOverlay(_dir["top.qcow2"], "new.qcow2", "qcow2", new ImageCreateOptions { Overwrite = true });
        Assert.Multiple(() =>
        {
            Assert.That(info.VirtualSize, Is.EqualTo(1 << 20));
            Assert.That(overlay.BackingFilename, Is.EqualTo("new.qcow2"));
            Assert.That(Check(_dir["top.qcow2"]), Does.Contain("No errors were found"));
        });
    }

    [TestCase(0x100 | 0x80 | 0x800, "invalid argument: permissions 4600 are invalid: use read/write/execute bits (0777 at most) that include owner read")]
    [TestCase(0x80, "invalid argument: permissions 200 are invalid: use read/write/execute bits (0777 at most) that include owner read")]
    public void PermissionsMustBeFileModeBitsWithOwnerRead(int mode, string message)
    {
        var ex = Assert.Throws<VirtException>(() => QemuImage.Create(_dir["x.qcow2"], 1 << 20, new ImageCreateOptions { Permissions = (UnixFileMode)mode }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo(message));
            Assert.That(File.Exists(_dir["x.qcow2"]), Is.False);
        });
    }

    [Test]
    public void OverwriteWritesThroughASymlinkToItsTargetLikeQemuImg()
    {
        Directory.CreateDirectory(_dir["store"]);
        File.WriteAllText(_dir["store/disk.qcow2"], "old");
        File.CreateSymbolicLink(_dir["ours.qcow2"], "store/disk.qcow2");
        File.CreateSymbolicLink(_dir["theirs.qcow2"], "store/disk2.qcow2");
        File.WriteAllText(_dir["store/disk2.qcow2"], "old");
        QemuImage.Create(_dir["ours.qcow2"], 1 << 20, new ImageCreateOptions { Overwrite = true });
        QemuImg("create", "-q", "-f", "qcow2", _dir["theirs.qcow2"], "1M");
        Assert.Multiple(() =>
        {
            Assert.That(new FileInfo(_dir["ours.qcow2"]).LinkTarget, Is.EqualTo("store/disk.qcow2"), "the link stays");
            Assert.That(new FileInfo(_dir["theirs.qcow2"]).LinkTarget, Is.EqualTo("store/disk2.qcow2"), "qemu-img keeps the link too");
            Assert.That(QemuImage.GetInfo(_dir["store/disk.qcow2"]).VirtualSize, Is.EqualTo(1 << 20));
            Assert.That(QemuImage.GetInfo(_dir["store/disk2.qcow2"]).VirtualSize, Is.EqualTo(1 << 20));
            Assert.That(Directory.GetFiles(_dir["store"]).Select(Path.GetFileName), Is.EquivalentTo(new[] { "disk.qcow2", "disk2.qcow2" }));
        });
    }

    [Test]
    public void OverwriteCreatesTheMissingTargetOfADanglingSymlinkButPlainCreateDoesNot()
    {
        File.CreateSymbolicLink(_dir["link.qcow2"], "target.qcow2");
        var ex = Assert.Throws<VirtException>(() => QemuImage.Create(_dir["link.qcow2"], 1 << 20));
        QemuImage.Create(_dir["link.qcow2"], 1 << 20, new ImageCreateOptions { Overwrite = true });
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo($"Requested operation is not valid: '{_dir["link.qcow2"]}' already exists (set ImageCreateOptions.Overwrite to replace it)"));
            Assert.That(QemuImage.GetInfo(_dir["target.qcow2"]).Format, Is.EqualTo("qcow2"));
            Assert.That(new FileInfo(_dir["link.qcow2"]).LinkTarget, Is.EqualTo("target.qcow2"));
        });
    }

    [Test]
    public void OverwriteNeverReplacesADeviceEvenThroughASymlink()
    {
        File.CreateSymbolicLink(_dir["null.qcow2"], "/dev/null");
        var ex = Assert.Throws<VirtException>(() => QemuImage.Create(_dir["null.qcow2"], 1 << 20, new ImageCreateOptions { Overwrite = true }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo($"Requested operation is not valid: '{_dir["null.qcow2"]}' (through the symbolic link to '/dev/null') is a character device; image creation only writes regular files and never overwrites anything else"));
            Assert.That(Directory.GetFileSystemEntries("/dev").Any(e => e.StartsWith("/dev/.null", StringComparison.Ordinal)), Is.False, "no temporary file in /dev");
        });
    }

    /// <summary>The real steps, with a fault injected where a test asks for one.</summary>
    private sealed class FaultyCommit : FileSteps
    {
        public Exception? SyncError { get; init; }

        public Exception? DeleteError { get; init; }

        public List<string> Synced { get; } = [];

        public override void Unlink(string path)
        {
            if (DeleteError is not null)
            {
                throw DeleteError;
            }

            base.Unlink(path);
        }

        public override void FsyncDirectory(string directory)
        {
            Synced.Add(directory);
            if (SyncError is not null)
            {
                throw SyncError;
            }
        }
    }
}
