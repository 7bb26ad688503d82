using Virt.IO;
using Virt.TestSupport;

namespace Virt.Core.Tests.IO;

public sealed class DirectorySyncTests
{
    [Test]
    public void FlushesAnExistingDirectory()
    {
        string dir = Directory.CreateTempSubdirectory("virt-dirsync-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a"), "x");
            Assert.DoesNotThrow(() => DirectorySync.Flush(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void FlushingADirectoryFsyncsThatDirectory()
    {
        string dir = Directory.CreateTempSubdirectory("virt-dirsync-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a"), "x");

            IReadOnlyList<string> lines;
            using (var trace = SyscallTrace.OfThisThread())
            {
                DirectorySync.Flush(dir);
                lines = trace.Stop(dir);
            }

            Assert.That(SyscallTrace.Durability(lines, dir), Is.EqualTo(new[] { "fsync DIR" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void MissingDirectoryIsAnIOExceptionNamingIt()
    {
        string missing = Path.Combine(Path.GetTempPath(), "virt-dirsync-missing-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<IOException>(() => DirectorySync.Flush(missing));
        Assert.That(ex!.Message, Is.EqualTo($"cannot open directory '{missing}' to flush it to disk: No such file or directory"));
    }
}
