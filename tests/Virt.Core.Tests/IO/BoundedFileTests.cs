using System.Diagnostics;
using Virt.IO;

namespace Virt.Core.Tests.IO;

/// <summary>The bounded read never blocks and never reads without end: what is not a regular file is refused after
/// fstat, without a read.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BoundedFileTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-bounded-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ARegularFileWithinTheLimitIsReadWhole()
    {
        string path = Path.Combine(_dir, "f");
        File.WriteAllText(path, "hello");

        var read = BoundedFile.Read(path, 5);

        Assert.Multiple(() =>
        {
            Assert.That(read.Bytes, Is.EqualTo("hello"u8.ToArray()));
            Assert.That(read.Kind, Is.EqualTo(HostFileKind.Regular));
        });
    }

    [Test]
    public void ARegularFileOverTheLimitIsRefusedWithItsSizeWithoutBeingRead()
    {
        string path = Path.Combine(_dir, "big");
        using (var sparse = File.Create(path))
        {
            sparse.SetLength(1L << 40);
        }

        var read = BoundedFile.Read(path, 1024);

        Assert.Multiple(() =>
        {
            Assert.That(read.Bytes, Is.Null);
            Assert.That(read.TooLarge, Is.True);
            Assert.That(read.Size, Is.EqualTo(1L << 40));
        });
    }

    [TestCase("/dev/zero")]
    [TestCase("/dev/urandom")]
    [TestCase("/dev/null")]
    public void ADeviceIsRefusedWithoutARead(string device)
    {
        var read = BoundedFile.Read(device, 1024);

        Assert.Multiple(() =>
        {
            Assert.That(read.Bytes, Is.Null);
            Assert.That(read.NotRegular, Is.True);
            Assert.That(read.Kind, Is.EqualTo(HostFileKind.CharacterDevice));
        });
    }

    [Test]
    public void AFifoWithoutAWriterIsRefusedAtOnce()
    {
        string fifo = Path.Combine(_dir, "p");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
        }

        var read = Task.Run(() => BoundedFile.Read(fifo, 1024));
        bool finished = read.Wait(TimeSpan.FromSeconds(20));
        if (!finished)
        {
            using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        }

        Assert.That(finished, Is.True, "the read blocked on a FIFO");
        Assert.That(read.Result.Kind, Is.EqualTo(HostFileKind.Fifo));
    }

    [Test]
    public void ADirectoryIsRefusedAndAMissingFileIsFileNotFoundException()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BoundedFile.Read(_dir, 1024).Kind, Is.EqualTo(HostFileKind.Directory));
            Assert.That(() => BoundedFile.Read(Path.Combine(_dir, "none"), 1024),
                Throws.TypeOf<FileNotFoundException>().With.Message.EqualTo("No such file or directory"));
        });
    }
}
