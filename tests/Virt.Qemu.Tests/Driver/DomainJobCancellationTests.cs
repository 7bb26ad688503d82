using Virt.IO;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Tests.Qmp;

namespace Virt.Qemu.Tests.Driver;

/// <summary>Waiting for a busy domain ends at once when cancelled, aborted by the token (a timeout would say the domain
/// is busy): the waits here have a one-hour timeout, so a wait that ignored its token would never return in time.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DomainJobCancellationTests
{
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("virt-job-cancel-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void WaitingBehindAJobOfThisProcessIsAbortedWhenCancelled()
    {
        var root = StateRoot.Embed(_root);
        using var held = DomainJob.Acquire(root, "vm", "start", TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var e = QmpCancellationTests.AbortedWithoutWaitingForTheTimeout(() => DomainJob.Acquire(root, "vm", "destroy", OneHour, cts.Token).Dispose());

        Assert.That(e.Detail, Is.EqualTo("waiting for the domain was cancelled"));
    }

    [Test]
    public void WaitingForTheFolderLockOfAnotherProcessIsAbortedWhenCancelled()
    {
        var root = StateRoot.Embed(_root);
        PrivateDirectory.Create(root.LockFolder("vm"));
        using var otherProcess = FolderLock.TryAcquire(root.LockFolder("vm"), out _);
        Assert.That(otherProcess, Is.Not.Null);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var e = QmpCancellationTests.AbortedWithoutWaitingForTheTimeout(() => DomainJob.Acquire(root, "vm", "destroy", OneHour, cts.Token).Dispose());

        Assert.That(e.Detail, Is.EqualTo("waiting for the domain was cancelled"));
    }
}
