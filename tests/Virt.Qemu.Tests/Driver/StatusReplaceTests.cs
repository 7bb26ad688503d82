using Virt.Qemu.Driver.State;
using Virt.TestSupport;

namespace Virt.Qemu.Tests.Driver;

/// <summary>How a domain's runtime status is replaced: the new file is swapped with the old one (one renameat2 with
/// RENAME_EXCHANGE), which is then removed under its temporary name, so ext4 does not write the new file out at once
/// as it does for a rename over an existing file; readers still see the old status or the new one, never none.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StatusReplaceTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("virt-status-replace-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void AReplacedStatusIsSwappedInAndTheOldOneRemoved()
    {
        var root = StateRoot.Embed(_root);
        var files = new DomainFiles(root);
        files.WriteStatus("vm", Status(1));
        string folder = root.RunFolder("vm");

        string[] calls;
        using (var trace = SyscallTrace.OfThisThread())
        {
            files.WriteStatus("vm", Status(2));
            calls = SyscallTrace.Durability(trace.Stop(folder), folder);
        }

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(new[] { "create .status.json.TEMP.tmp", "rename .status.json.TEMP.tmp status.json", "unlink .status.json.TEMP.tmp" }));
            Assert.That(files.ReadStatus("vm")?.Id, Is.EqualTo(2));
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "status.json" }), "no old status left behind");
            Assert.That(File.GetUnixFileMode(Path.Combine(folder, "status.json")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });
    }

    [Test]
    public void AReaderNeverFindsTheStatusMissingWhileItIsReplaced()
    {
        var root = StateRoot.Embed(_root);
        var files = new DomainFiles(root);
        files.WriteStatus("vm", Status(0));
        int missing = 0;
        int reads = 0;
        using var done = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            var own = new DomainFiles(root);
            while (!done.IsSet)
            {
                if (own.ReadStatus("vm") is null)
                {
                    Interlocked.Increment(ref missing);
                }

                reads++;
            }
        });
        reader.Start();
        for (int i = 1; i <= 500; i++)
        {
            files.WriteStatus("vm", Status(i));
        }

        done.Set();
        reader.Join();
        Assert.Multiple(() =>
        {
            Assert.That(reads, Is.GreaterThan(0));
            Assert.That(missing, Is.Zero, "reads that found no status");
            Assert.That(files.ReadStatus("vm")?.Id, Is.EqualTo(500));
        });
    }

    private static DomainStatus Status(int id) =>
        new() { Name = "vm", Uuid = Guid.Parse("0b6f3f0e-8f5a-4c4e-9b43-3d1a61c2a7d1"), Id = id, Pid = 0, StartTime = 0, MonitorSocket = "/nonexistent.sock", LiveXml = "<domain/>" };
}
