using Virt.IO;
using Virt.Qemu.Images;
using static Virt.Qemu.Tests.Images.ExternalTools;

namespace Virt.Qemu.Tests.Images;

/// <summary>Which kinds of file are read as images, and the non-blocking open that keeps a named pipe from hanging a read.</summary>
[TestFixture]
public sealed class FileKindTests
{
    [TestCase("Regular", null)]
    [TestCase("BlockDevice", null)]
    [TestCase("Unknown", null)]
    [TestCase("Directory", "a directory")]
    [TestCase("CharacterDevice", "a character device")]
    [TestCase("Fifo", "a named pipe (FIFO)")]
    [TestCase("Socket", "a socket")]
    public void OnlyRegularFilesAndBlockDevicesAreRead(string kind, string? refusal) =>
        Assert.That(ImageHostFile.Refusal(Enum.Parse<HostFileKind>(kind)), Is.EqualTo(refusal));

    [TestCase(0x81A4u, "Regular")]
    [TestCase(0x61B0u, "BlockDevice")]
    [TestCase(0x21B6u, "CharacterDevice")]
    [TestCase(0x41EDu, "Directory")]
    [TestCase(0x11A4u, "Fifo")]
    [TestCase(0xC1EDu, "Socket")]
    public void ModeBitsNameTheKind(uint mode, string kind) =>
        Assert.That(NativeMethods.KindFromMode(mode), Is.EqualTo(Enum.Parse<HostFileKind>(kind)));

    [Test]
    public void StatxTellsKindsSizesAndBlocks()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["f"], new byte[5000]);
        Run("mkfifo", dir["p"]);
        Assert.Multiple(() =>
        {
            Assert.That(NativeMethods.StatusOf(dir["f"]).Kind, Is.EqualTo(HostFileKind.Regular));
            Assert.That(NativeMethods.StatusOf(dir["f"]).Size, Is.EqualTo(5000));
            Assert.That(NativeMethods.StatusOf(dir["f"]).AllocatedBytes, Is.GreaterThanOrEqualTo(4096));
            Assert.That(NativeMethods.StatusOf(dir.Path).Kind, Is.EqualTo(HostFileKind.Directory));
            Assert.That(NativeMethods.StatusOf(dir["p"]).Kind, Is.EqualTo(HostFileKind.Fifo));
            Assert.That(NativeMethods.StatusOf("/dev/null").Kind, Is.EqualTo(HostFileKind.CharacterDevice));
            Assert.That(NativeMethods.StatusOf(dir["none/x"]).Kind, Is.EqualTo(HostFileKind.Missing));
        });
    }

    [Test]
    public void NamedPipeOpensWithoutAWriterAndIsToldByItsDescriptor()
    {
        using var dir = new TempDir();
        Run("mkfifo", dir["p"]);
        var open = Task.Run(() =>
        {
            using var handle = NativeMethods.OpenReadNonBlocking(dir["p"], out int errno);
            return (handle is null ? HostFileKind.Missing : NativeMethods.StatusOf(handle).Kind, errno);
        });
        if (!open.Wait(TimeSpan.FromSeconds(60)))
        {
            using (new FileStream(dir["p"], FileMode.Open, FileAccess.Write))
            {
            }

            Assert.Fail("opening a named pipe waited for a writer");
        }

        Assert.That(open.Result, Is.EqualTo((HostFileKind.Fifo, 0)));
    }
}
