using Virt.IO;
using Virt.Qemu.Driver.State;

namespace Virt.Qemu.Tests.Driver;

/// <summary>What a caller that gives up waiting for a domain held by another process is told: the lock folder's <c>job</c>
/// record, written in place by the holder and blanked when it releases. "Another process" is the same root reached
/// through a symbolic link: another in-process gate, the same folder and flock.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DomainJobRecordTests
{
    private const string Busy = @"^Timed out during operation: domain 'vm' is busy";
    private string _root = null!;
    private StateRoot _holder = null!;
    private StateRoot _waiter = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("virt-job-record-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "real"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "link"), Path.Combine(_root, "real"));
        _holder = StateRoot.Embed(Path.Combine(_root, "real"));
        _waiter = StateRoot.Embed(Path.Combine(_root, "link"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void AWaiterIsToldTheJobOfTheHolder()
    {
        using var held = DomainJob.Acquire(_holder, "vm", "snapshot-create", TimeSpan.FromSeconds(1));

        Assert.That(TimedOut().Message, Does.Match(Busy + @" \(job snapshot-create since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ, process " + Environment.ProcessId + @"\)$"));
    }

    [Test]
    public void AJobThatEndedIsNotNamedWhileAnUnrecordedOneHoldsTheDomain()
    {
        DomainJob.Acquire(_holder, "vm", "snapshot-create", TimeSpan.FromSeconds(1)).Dispose();
        using var held = DomainJob.Acquire(_holder, "vm", "settle", TimeSpan.FromSeconds(1), record: false);

        Assert.That(TimedOut().Message, Does.Match(Busy + "$"));
    }

    [Test]
    public void TheRecordIsRewrittenInPlace()
    {
        DomainJob.Acquire(_holder, "vm", "start", TimeSpan.FromSeconds(1)).Dispose();
        string file = Path.Combine(_holder.LockFolder("vm"), "job");
        long inode = Inode(file);

        using var held = DomainJob.Acquire(_holder, "vm", "destroy", TimeSpan.FromSeconds(1));

        Assert.That(Inode(file), Is.EqualTo(inode), "the same file, not a new one renamed over it");
        Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(TimedOut().Message, Does.Contain("(job destroy since"));
    }

    [Test]
    public void ALongerRecordLeftByAKilledHolderIsWrittenOver()
    {
        PrivateDirectoryOf(_holder);
        File.WriteAllText(Path.Combine(_holder.LockFolder("vm"), "job"), "4242 1700000000000 " + new string('x', 300) + "\n");

        using var held = DomainJob.Acquire(_holder, "vm", "reboot", TimeSpan.FromSeconds(1));

        Assert.That(TimedOut().Message, Does.Match(Busy + @" \(job reboot since .*, process " + Environment.ProcessId + @"\)$"));
    }

    [TestCase("")]
    [TestCase("  1234 1700000000000 start\n")]
    [TestCase("1234 1700000000000 start")]
    [TestCase("1234 1700000000000 \n")]
    public void AHalfWrittenOrBlankRecordNamesNoHolder(string content)
    {
        PrivateDirectoryOf(_holder);
        using var held = DomainJob.Acquire(_holder, "vm", "settle", TimeSpan.FromSeconds(1), record: false);
        File.WriteAllText(Path.Combine(_holder.LockFolder("vm"), "job"), content + new string(' ', 200));

        Assert.That(TimedOut().Message, Does.Match(Busy + "$"));
    }

    private VirtException TimedOut()
    {
        var e = Assert.Throws<VirtException>(() => DomainJob.Acquire(_waiter, "vm", "start", TimeSpan.FromMilliseconds(50)).Dispose());
        Assert.That(e!.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
        return e;
    }

    private static void PrivateDirectoryOf(StateRoot root) => Virt.IO.PrivateDirectory.Create(root.LockFolder("vm"));

    private static long Inode(string file) => (long)FileStamp.Of(file)!.Value.Inode;
}
