using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>Descriptor passing and migration to and from a file, on real QEMU 7.2 running the tiny test guest.</summary>
[TestFixture]
[NonParallelizable]
public sealed class MigrationQemuTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("virt-migfile-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    [Test]
    public void GetFdHandsQemuTheOpenFileAndCloseFdTakesItBack()
    {
        using var qemu = MigrationQemu.Start();
        string path = File("passed");
        using var handle = System.IO.File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        qemu.Monitor.GetFd("passed0", handle);
        Assert.That(qemu.OpenFiles(), Does.Contain(path));

        qemu.Monitor.CloseFd("passed0");
        Assert.That(qemu.OpenFiles(), Does.Not.Contain(path));
        var e = Assert.Throws<QmpCommandException>(() => qemu.Monitor.CloseFd("passed0"))!;
        Assert.That(e.Description, Is.EqualTo("File descriptor named 'passed0' not found"));
    }

    [Test]
    public void CommandsAfterAPassedDescriptorStillWork()
    {
        using var qemu = MigrationQemu.Start();
        using var handle = System.IO.File.OpenHandle(File("passed"), FileMode.Create, FileAccess.Write);
        for (int i = 0; i < 20; i++)
        {
            qemu.Monitor.GetFd("same", handle);
            Assert.That(qemu.Monitor.QueryStatus().Status, Is.EqualTo("prelaunch"));
        }

        // QEMU replaced the descriptor each time: one is left, under the name.
        Assert.That(qemu.OpenFiles().Count(f => f == File("passed")), Is.EqualTo(1));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void RamSavedToAFileIsTheRamOfANewQemuThatLoadsIt(bool live)
    {
        using var source = MigrationQemu.StartBootedAndPaused();
        string zeros = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(new byte[MigrationQemu.RamBytes]));
        string before = source.RamHash();
        Assert.That(before, Is.Not.EqualTo(zeros), "the guest left its RAM empty: nothing would be proved");
        if (live)
        {
            source.Monitor.Cont();
        }

        var saved = new List<VirtProgress>();
        string stream = File("mem");
        using (var handle = System.IO.File.OpenHandle(stream, FileMode.Create, FileAccess.Write))
        {
            source.Monitor.MigrateToFile(handle, new SyncProgress(saved.Add));
        }

        Assert.That(source.Monitor.QueryStatus(), Is.EqualTo(new StatusInfo(false, "postmigrate")));
        string atSave = live ? source.RamHash() : before;
        Assert.That(source.OpenFiles(), Does.Not.Contain(stream), "QEMU closed the stream when done");
        Assert.That(saved[^1].Current, Is.EqualTo(saved[^1].Total).And.GreaterThan(0));

        using var target = MigrationQemu.Start(incoming: true);
        Assert.That(target.Monitor.QueryStatus().Status, Is.EqualTo("inmigrate"));
        var loaded = new List<VirtProgress>();
        using (var handle = System.IO.File.OpenHandle(stream, FileMode.Open, FileAccess.Read))
        {
            target.Monitor.MigrateIncomingFromFile(handle, new SyncProgress(loaded.Add));
        }

        Assert.That(target.Monitor.QueryStatus(), Is.EqualTo(new StatusInfo(false, "paused")));
        Assert.That(target.RamHash(), Is.EqualTo(atSave));
        Assert.That(loaded[^1], Is.EqualTo(new VirtProgress("migrate-incoming", new FileInfo(stream).Length, new FileInfo(stream).Length)));
        target.Monitor.Cont();
        Assert.That(target.Monitor.QueryStatus(), Is.EqualTo(new StatusInfo(true, "running")));
    }

    [Test]
    public void ASecondMigrationBeforeTheGuestRanFailsWithQemusTextAndLeavesNoDescriptor()
    {
        using var qemu = MigrationQemu.StartBootedAndPaused();
        using (var handle = System.IO.File.OpenHandle(File("first"), FileMode.Create, FileAccess.Write))
        {
            qemu.Monitor.MigrateToFile(handle);
        }

        using (var handle = System.IO.File.OpenHandle(File("second"), FileMode.Create, FileAccess.Write))
        {
            var e = Assert.Throws<QmpCommandException>(() => qemu.Monitor.MigrateToFile(handle))!;
            Assert.That(e.Description, Is.EqualTo("Can't migrate the vm that was paused due to previous migration"));
        }

        Assert.That(qemu.OpenFiles(), Does.Not.Contain(File("second")));
        qemu.Monitor.Cont();
        qemu.Monitor.Stop();
        using (var handle = System.IO.File.OpenHandle(File("third"), FileMode.Create, FileAccess.Write))
        {
            qemu.Monitor.MigrateToFile(handle);
        }

        Assert.That(new FileInfo(File("third")).Length, Is.GreaterThan(0));
    }

    [Test]
    public void AMigrationIntoAFullDeviceFailsWithQemusErrorAndTheGuestRunsOn()
    {
        using var qemu = MigrationQemu.StartBootedAndPaused();
        qemu.Monitor.Cont();
        using var full = System.IO.File.OpenHandle("/dev/full", FileMode.Open, FileAccess.Write);
        var e = Assert.Throws<VirtException>(() => qemu.Monitor.MigrateToFile(full))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(e.Message, Does.StartWith("operation failed: QEMU's migration to a file failed: ").And.Contain("No space left on device"));
            Assert.That(qemu.Monitor.QueryStatus(), Is.EqualTo(new StatusInfo(true, "running")));
        });
    }

    [Test]
    public void CancellingAMigrationEndsItAndTheGuestRunsOn()
    {
        using var qemu = MigrationQemu.StartBootedAndPaused();
        qemu.Monitor.Cont();
        using var reader = new SlowReader();
        var progress = new List<VirtProgress>();
        using var cancel = new CancellationTokenSource();
        var writeEnd = reader.WriteEnd;
        var e = Assert.Throws<VirtException>(() => qemu.Monitor.MigrateToFile(writeEnd, new SyncProgress(p =>
        {
            progress.Add(p);
            if (p.Current > 0)
            {
                cancel.Cancel();
            }
        }), cancel.Token))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
            Assert.That(e.Message, Is.EqualTo("operation aborted: QEMU's migration to a file was cancelled"));
            Assert.That(progress, Has.Some.Matches<VirtProgress>(p => p.Current > 0 && p.Current < p.Total));
            Assert.That(qemu.Monitor.QueryMigrate().Status, Is.EqualTo("cancelled"));
            Assert.That(qemu.Monitor.QueryStatus(), Is.EqualTo(new StatusInfo(true, "running")));
        });
    }

    [Test]
    public void AMigrationPastItsLimitIsCancelledAsATimeout()
    {
        using var qemu = MigrationQemu.StartBootedAndPaused();
        using var reader = new SlowReader();
        qemu.Monitor.MigrationLimit = TimeSpan.FromSeconds(1);
        var writeEnd = reader.WriteEnd;
        var e = Assert.Throws<VirtException>(() => qemu.Monitor.MigrateToFile(writeEnd))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
            Assert.That(e.Message, Is.EqualTo("Timed out during operation: QEMU's migration to a file did not finish within 1 s and was cancelled"));
            Assert.That(qemu.Monitor.QueryStatus(), Is.EqualTo(new StatusInfo(false, "paused")));
        });
    }

    [Test]
    public void ACorruptStreamEndsTheLoadingQemuWithAClearError()
    {
        string stream = File("mem");
        using (var source = MigrationQemu.StartBootedAndPaused())
        using (var handle = System.IO.File.OpenHandle(stream, FileMode.Create, FileAccess.Write))
        {
            source.Monitor.MigrateToFile(handle);
        }

        using (var cut = new FileStream(stream, FileMode.Open))
        {
            cut.SetLength(cut.Length / 2);
        }

        using var target = MigrationQemu.Start(incoming: true);
        using var read = System.IO.File.OpenHandle(stream, FileMode.Open, FileAccess.Read);
        var e = Assert.Throws<VirtException>(() => target.Monitor.MigrateIncomingFromFile(read))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(e.Message, Does.StartWith("operation failed: QEMU ended while loading the migration stream"));
            Assert.That(target.WaitForExit(TimeSpan.FromSeconds(10)), Is.True);
        });
    }

    [Test]
    public void MigrateIncomingOnAQemuNotWaitingForOneFailsWithQemusTextAndLeavesNoDescriptor()
    {
        using var qemu = MigrationQemu.Start();
        string stream = File("mem");
        System.IO.File.WriteAllBytes(stream, [1, 2, 3]);
        using var read = System.IO.File.OpenHandle(stream, FileMode.Open, FileAccess.Read);
        var e = Assert.Throws<QmpCommandException>(() => qemu.Monitor.MigrateIncomingFromFile(read))!;
        Assert.That(e.Description, Is.EqualTo("'-incoming' was not specified on the command line"));
        Assert.That(qemu.OpenFiles(), Does.Not.Contain(stream));
        Assert.That(qemu.Monitor.QueryStatus().Status, Is.EqualTo("prelaunch"));
    }

    /// <summary>Progress that reports on the caller's thread, so a test sees every report before the call returns.</summary>
    private sealed class SyncProgress(Action<VirtProgress> report) : IProgress<VirtProgress>
    {
        public void Report(VirtProgress value) => report(value);
    }

    /// <summary>A pipe drained at about 4 MiB/s, so a migration into it stays active for seconds. Dispose closes
    /// this process's write end, so the drain sees the end of the stream once QEMU closed its copy.</summary>
    private sealed class SlowReader : IDisposable
    {
        private readonly AnonymousPipeServerStream _pipe = new(PipeDirection.In);
        private readonly Thread _thread;

        public SlowReader()
        {
            _thread = new Thread(() =>
            {
                var buffer = new byte[64 * 1024];
                while (_pipe.Read(buffer) > 0)
                {
                    Thread.Sleep(15);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        /// <summary>The write end, for QEMU; this process keeps its own copy until Dispose.</summary>
        public SafeFileHandle WriteEnd => new(_pipe.ClientSafePipeHandle.DangerousGetHandle(), ownsHandle: false);

        public void Dispose()
        {
            _pipe.DisposeLocalCopyOfClientHandle();
            _thread.Join(TimeSpan.FromSeconds(30));
            _pipe.Dispose();
        }
    }
}
