using Virt.Qemu.Images;
using Virt.TestSupport;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>What the kernel receives when an image is created: the whole image goes to a temporary name, is
/// fsynced, takes its name by link (new) or rename (overwrite), never by copy, and the folder is fsynced.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ImageDurabilityTests
{
    private TempDir _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = new TempDir();

    [TearDown]
    public void RemoveDir() => _dir.Dispose();

    private string[] Traced(Action create)
    {
        using var trace = SyscallTrace.OfThisThread();
        create();
        return SyscallTrace.Durability(trace.Stop(_dir.Path), _dir.Path);
    }

    [Test]
    public void ANewImageIsFsyncedLinkedAndItsFolderFsynced()
    {
        string[] calls = Traced(() => QemuImage.Create(_dir["a.qcow2"], 1 << 20));

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(new[] { "create .a.qcow2.TEMP.tmp", "fsync .a.qcow2.TEMP.tmp", "link .a.qcow2.TEMP.tmp a.qcow2", "unlink .a.qcow2.TEMP.tmp", "fsync DIR" }));
            Assert.That(Check(_dir["a.qcow2"]), Does.Contain("No errors were found on the image."));
        });
    }

    [Test]
    public void AnOverwrittenImageIsFsyncedRenamedAndItsFolderFsynced()
    {
        QemuImage.Create(_dir["a.qcow2"], 1 << 20);

        string[] calls = Traced(() => QemuImage.Create(_dir["a.qcow2"], 2 << 20, new ImageCreateOptions { Overwrite = true }));

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(new[] { "create .a.qcow2.TEMP.tmp", "fsync .a.qcow2.TEMP.tmp", "rename .a.qcow2.TEMP.tmp a.qcow2", "fsync DIR" }));
            Assert.That(QemuImage.GetInfo(_dir["a.qcow2"]).VirtualSize, Is.EqualTo(2 << 20));
        });
    }
}
