using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Images;

/// <summary>Creating an image without overwrite onto a name that is taken, by a file or by a symbolic link whose
/// target does not exist: refused before the image is written (a preallocated image would be written in full
/// first and then thrown away), and what was at the name is left exactly as it was.</summary>
[TestFixture]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicCreateTakenNameTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private TempDir _dir = null!;
    private int _writes;

    [SetUp]
    public void MakeDir()
    {
        _dir = new TempDir();
        _writes = 0;
    }

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    private void WriteHello(FileStream s)
    {
        _writes++;
        s.Write("hello"u8);
    }

    private static string AlreadyExists(string path) =>
        $"Requested operation is not valid: '{path}' already exists (set ImageCreateOptions.Overwrite to replace it)";

    [Test]
    public void AnExistingFileIsRefusedBeforeAnythingIsWrittenAndKeptByteForByte()
    {
        string path = _dir["a.img"];
        byte[] before = [0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3, 42];
        File.WriteAllBytes(path, before);

        var ex = Assert.Throws<VirtException>(() => AtomicImageFile.Create(path, false, Private, WriteHello));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo(AlreadyExists(path)));
            Assert.That(_writes, Is.Zero, "the image is not written");
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
            Assert.That(Directory.GetFileSystemEntries(_dir.Path), Is.EqualTo(new[] { path }), "no temporary file is left");
        });
    }

    [Test]
    public void ADanglingSymbolicLinkIsRefusedBeforeAnythingIsWrittenAndLeftDangling()
    {
        string path = _dir["a.img"];
        string missing = _dir["missing.img"];
        File.CreateSymbolicLink(path, missing);

        var ex = Assert.Throws<VirtException>(() => AtomicImageFile.Create(path, false, Private, WriteHello));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(ex.Message, Is.EqualTo(AlreadyExists(path)));
            Assert.That(_writes, Is.Zero, "the image is not written");
            Assert.That(new FileInfo(path).LinkTarget, Is.EqualTo(missing));
            Assert.That(File.Exists(missing) || Directory.Exists(missing), Is.False, "the link's target is not created");
            Assert.That(Directory.GetFileSystemEntries(_dir.Path), Is.EqualTo(new[] { path }), "no temporary file is left");
        });
    }
}
