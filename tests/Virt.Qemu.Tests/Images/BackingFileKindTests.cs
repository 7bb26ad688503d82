using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Images;

/// <summary>
/// A backing file that exists but cannot be read as an image is reported as what it is, as qemu-img does
/// ("Could not open 'dir': 'file' driver requires 'dir' to be a regular file"; "Could not open 'f': Permission
/// denied"), never as missing.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackingFileKindTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void RemoveDir()
    {
        foreach (string path in Directory.EnumerateFileSystemEntries(_dir.Path))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        _dir.Dispose();
    }

    private string Overlay(string name, string backing, string format) => _dir.Qcow2(name, backing, format);

    [Test]
    public void DirectoryInTheChainIsReportedAsADirectory()
    {
        Directory.CreateDirectory(_dir["base"]);
        Overlay("top.qcow2", "base", "raw");
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir["top.qcow2"]));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OpenFailed));
            Assert.That(ex.Message, Is.EqualTo($"failed to open file: backing file of '{_dir["top.qcow2"]}': '{_dir["base"]}' is a directory, "
                + "not a regular file or block device; give the path of a qcow2 or raw image"));
        });
    }

    [Test]
    public void DirectoryAsTheBackingFileOfANewOverlayIsReportedAsADirectory()
    {
        Directory.CreateDirectory(_dir["base"]);
        var ex = Assert.Throws<VirtException>(() => QemuImage.CreateOverlay(_dir["top.qcow2"], "base", "raw"));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OpenFailed));
            Assert.That(ex.Message, Is.EqualTo($"failed to open file: '{_dir["base"]}' is a directory, not a regular file or block device; give the path of a qcow2 or raw image"));
            Assert.That(File.Exists(_dir["top.qcow2"]), Is.False);
        });
    }

    [Test]
    public void BackingFileInAnUnsearchableDirectoryIsPermissionDenied()
    {
        Assume.That(Environment.UserName, Is.Not.EqualTo("root"), "root reads through any permission bits");
        Directory.CreateDirectory(_dir["locked"]);
        File.WriteAllBytes(_dir["locked/base.raw"], new byte[512]);
        Overlay("top.qcow2", "locked/base.raw", "raw");
        File.SetUnixFileMode(_dir["locked"], UnixFileMode.None);
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir["top.qcow2"]));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OpenFailed));
            Assert.That(ex.Message, Is.EqualTo($"failed to open file: backing file of '{_dir["top.qcow2"]}': '{_dir["locked/base.raw"]}': Permission denied"));
        });
    }

    [Test]
    public void UnreadableBackingFileIsPermissionDenied()
    {
        Assume.That(Environment.UserName, Is.Not.EqualTo("root"), "root reads through any permission bits");
        File.WriteAllBytes(_dir["base.raw"], new byte[512]);
        File.SetUnixFileMode(_dir["base.raw"], UnixFileMode.None);
        Overlay("top.qcow2", "base.raw", "raw");
        var ex = Assert.Throws<VirtException>(() => QemuImage.GetBackingChain(_dir["top.qcow2"]));
        Assert.That(ex!.Message, Is.EqualTo($"failed to open file: backing file of '{_dir["top.qcow2"]}': '{_dir["base.raw"]}': Permission denied"));
    }
}
