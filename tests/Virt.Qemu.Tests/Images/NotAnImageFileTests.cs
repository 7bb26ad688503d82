using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// Paths that name no regular file fail with OpenFailed and a message naming the path and what it is.
/// qemu-img says "Could not open '/tmp': 'file' driver requires '/tmp' to be a regular file", and
/// waits forever on a named pipe; Virt refuses both before opening anything.
/// </summary>
[TestFixture]
public sealed class NotAnImageFileTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    [Test]
    public void DirectoryIsNotAnImage()
    {
        string path = _dir["sub"];
        Directory.CreateDirectory(path);
        var (code, _, stderr) = TryRun(null, null, "qemu-img", "info", path);
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetInfo(path));
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.EqualTo(0));
            Assert.That(stderr, Does.Contain("to be a regular file"), "qemu-img refuses it too");
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OpenFailed));
            Assert.That(ex.Message, Is.EqualTo($"failed to open file: '{path}' is a directory, not a regular file or block device; give the path of a qcow2 or raw image"));
        });
    }

    [Test]
    public void SymlinkToADirectoryIsNotAnImageEither()
    {
        Directory.CreateDirectory(_dir["sub"]);
        File.CreateSymbolicLink(_dir["link"], _dir["sub"]);
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir["link"]));
        Assert.That(ex!.Message, Is.EqualTo($"failed to open file: '{_dir["link"]}' is a directory, not a regular file or block device; give the path of a qcow2 or raw image"));
    }

    [Test]
    public void NamedPipeIsRefusedByNameWithoutWaitingForAWriter()
    {
        string path = _dir["pipe"];
        Run("mkfifo", path);
        var read = Task.Run(() => Assert.Throws<VirtException>(() => QemuImage.ListSnapshots(path)));
        if (!read.Wait(TimeSpan.FromSeconds(60)))
        {
            using (new FileStream(path, FileMode.Open, FileAccess.Write))
            {
            }

            Assert.Fail("ListSnapshots waited for a writer on a named pipe");
        }

        Assert.That(read.Result!.Message, Is.EqualTo($"failed to open file: '{path}' is a named pipe (FIFO), not a regular file or block device; give the path of a qcow2 or raw image"));
    }

    [Test]
    public void NamedPipeAsABackingFileIsRefusedBeforeItIsOpened()
    {
        Run("mkfifo", _dir["pipe"]);
        File.CreateSymbolicLink(_dir["link"], _dir["pipe"]);
        QemuImg("create", "-q", "-f", "qcow2", "-u", "-b", "pipe", "-F", "raw", _dir["top.qcow2"], "1M");
        QemuImg("create", "-q", "-f", "qcow2", "-u", "-b", "link", "-F", "raw", _dir["viaLink.qcow2"], "1M");
        QemuImg("create", "-q", "-f", "qcow2", "-u", "-b", "viaLink.qcow2", "-F", "qcow2", _dir["deep.qcow2"], "1M");
        var read = Task.Run(() => new[] { "top.qcow2", "viaLink.qcow2", "deep.qcow2" }
            .Select(n => Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir[n]))!.Message).ToArray());
        if (!read.Wait(TimeSpan.FromSeconds(60)))
        {
            using (new FileStream(_dir["pipe"], FileMode.Open, FileAccess.Write))
            {
            }

            Assert.Fail("GetBackingChain waited for a writer on a named pipe");
        }

        const string Refused = "is a named pipe (FIFO), not a regular file or block device; give the path of a qcow2 or raw image";
        Assert.That(read.Result, Is.EqualTo(new[]
        {
            $"failed to open file: backing file of '{_dir["top.qcow2"]}': '{_dir["pipe"]}' {Refused}",
            $"failed to open file: backing file of '{_dir["viaLink.qcow2"]}': '{_dir["link"]}' {Refused}",
            $"failed to open file: backing file of '{_dir["viaLink.qcow2"]}': '{_dir["link"]}' {Refused}",
        }));
    }

    [Test]
    public void QemuImgIsNeverRunOnAChainWithANamedPipe()
    {
        Run("mkfifo", _dir["pipe"]);
        QemuImg("create", "-q", "-f", "qcow2", "-u", "-b", "pipe", "-F", "raw", _dir["top.qcow2"], "1M");
        QemuImg("create", "-q", "-f", "qcow2", _dir["other.qcow2"], "1M");
        var operations = new QemuImgOperations(new Moq.Mock<IQemuImgRunner>(Moq.MockBehavior.Strict).Object);
        string refused = $"failed to open file: backing file of '{_dir["top.qcow2"]}': '{_dir["pipe"]}' is a named pipe (FIFO), not a regular file or block device; give the path of a qcow2 or raw image";
        Assert.Multiple(() =>
        {
            Assert.That(() => operations.Commit(_dir["top.qcow2"], null, CancellationToken.None), Throws.TypeOf<VirtException>().With.Message.EqualTo(refused));
            Assert.That(() => operations.Convert(_dir["top.qcow2"], _dir["flat.raw"], "raw", null, CancellationToken.None), Throws.TypeOf<VirtException>().With.Message.EqualTo(refused));
            Assert.That(() => operations.Rebase(_dir["top.qcow2"], "other.qcow2", "qcow2", false, null, CancellationToken.None), Throws.TypeOf<VirtException>().With.Message.EqualTo(refused));
            Assert.That(() => operations.Rebase(_dir["other.qcow2"], "pipe", "raw", false, null, CancellationToken.None), Throws.TypeOf<VirtException>()
                .With.Message.EqualTo($"failed to open file: '{_dir["pipe"]}' is a named pipe (FIFO), not a regular file or block device; give the path of a qcow2 or raw image"));
        });
    }

    [Test]
    public void CharacterDeviceIsNotAnImage()
    {
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetInfo("/dev/null"));
        Assert.That(ex!.Message, Is.EqualTo("failed to open file: '/dev/null' is a character device, not a regular file or block device; give the path of a qcow2 or raw image"));
    }

    [Test]
    public void MissingFileAndMissingDirectoryNameThePathAndSayItDoesNotExist()
    {
        var file = Assert.Throws<VirtException>(() => QemuImage.GetInfo(_dir["none.qcow2"]));
        var dir = Assert.Throws<VirtException>(() => QemuImage.GetInfo(_dir["nodir/none.qcow2"]));
        Assert.Multiple(() =>
        {
            Assert.That(file!.Code, Is.EqualTo(VirtErrorCode.OpenFailed));
            Assert.That(file.Message, Is.EqualTo($"failed to open file: '{_dir["none.qcow2"]}' does not exist"));
            Assert.That(dir!.Message, Is.EqualTo($"failed to open file: '{_dir["nodir/none.qcow2"]}' does not exist"));
        });
    }

    [Test]
    public void QemuImgOperationsRefuseADirectoryByName()
    {
        Directory.CreateDirectory(_dir["sub"]);
        var ex = Assert.Throws<VirtException>(() => QemuImage.Commit(_dir["sub"]));
        Assert.That(ex!.Message, Is.EqualTo($"failed to open file: '{_dir["sub"]}' is a directory, not a regular file or block device; give the path of a qcow2 or raw image"));
    }
}
