using Virt.IO;

namespace Virt.Core.Tests.IO;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FolderLockTests
{
    [Test]
    public void ASecondLockInTheSameProcessIsRefusedWithOurPidUntilTheFirstIsReleased()
    {
        string dir = Directory.CreateTempSubdirectory("virt-lock-").FullName;
        try
        {
            var first = FolderLock.TryAcquire(dir, out _);
            var second = FolderLock.TryAcquire(dir, out int? owner);
            first!.Dispose();
            using var third = FolderLock.TryAcquire(dir, out _);

            Assert.Multiple(() =>
            {
                Assert.That(first, Is.Not.Null);
                Assert.That(second, Is.Null);
                Assert.That(owner, Is.EqualTo(Environment.ProcessId));
                Assert.That(third, Is.Not.Null);
                Assert.That(Directory.GetFileSystemEntries(dir), Is.Empty, "the lock leaves the folder as it was");
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
