using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Images;

/// <summary>Where atomic image creation refuses before writing anything: a missing folder, a directory at the
/// name (with or without overwrite), a symbolic link loop.</summary>
[TestFixture]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AtomicCreateRefusalTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    private static void WriteHello(FileStream s) => s.Write("hello"u8);

    [TestCase(false)]
    [TestCase(true)]
    public void AMissingFolderIsRefusedByNameAndNothingIsCreated(bool overwrite)
    {
        string path = _dir["nodir/a.img"];

        var ex = Assert.Throws<VirtException>(() => AtomicImageFile.Create(path, overwrite, Private, WriteHello));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OpenFailed));
            Assert.That(ex.Message, Is.EqualTo($"failed to open file: '{path}': directory '{_dir["nodir"]}' does not exist"));
            Assert.That(Directory.GetFileSystemEntries(_dir.Path), Is.Empty);
        });
    }

    [Test]
    public void ADirectoryAtTheNameIsRefusedAndKept()
    {
        string path = _dir["sub"];
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside"), "kept");

        var plain = Assert.Throws<VirtException>(() => AtomicImageFile.Create(path, false, Private, WriteHello));
        var overwrite = Assert.Throws<VirtException>(() => AtomicImageFile.Create(path, true, Private, WriteHello));

        Assert.Multiple(() =>
        {
            Assert.That(plain!.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(plain.Message, Is.EqualTo($"Requested operation is not valid: '{path}' is a directory"));
            Assert.That(overwrite!.Code, Is.EqualTo(VirtErrorCode.OperationInvalid));
            Assert.That(overwrite.Message, Is.EqualTo($"Requested operation is not valid: '{path}' is a directory; image creation only writes regular files and never overwrites anything else"));
            Assert.That(File.ReadAllText(Path.Combine(path, "inside")), Is.EqualTo("kept"));
            Assert.That(Directory.GetFileSystemEntries(_dir.Path), Is.EqualTo(new[] { path }), "no temporary file is left");
        });
    }

    [Test]
    public void ASymbolicLinkLoopIsRefusedWhenOverwritingAndExistsOtherwise()
    {
        string a = _dir["a.img"];
        string b = _dir["b.img"];
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);

        var overwrite = Assert.Throws<VirtException>(() => AtomicImageFile.Create(a, true, Private, WriteHello));
        var plain = Assert.Throws<VirtException>(() => AtomicImageFile.Create(a, false, Private, WriteHello));

        Assert.Multiple(() =>
        {
            Assert.That(overwrite!.Code, Is.EqualTo(VirtErrorCode.OpenFailed));
            Assert.That(overwrite.Message, Does.StartWith($"failed to open file: '{a}' is a symbolic link that cannot be followed: "));
            Assert.That(plain!.Message, Is.EqualTo($"Requested operation is not valid: '{a}' already exists (set ImageCreateOptions.Overwrite to replace it)"));
            Assert.That(new FileInfo(a).LinkTarget, Is.EqualTo(b), "the link is left as it was");
            Assert.That(Directory.GetFileSystemEntries(_dir.Path), Is.EquivalentTo(new[] { a, b }));
        });
    }
}
