using System.Security.Cryptography;
using System.Text.Json;
using Virt.Conf;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.Snapshots;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Qmp;
using Virt.Qemu.Tests.Driver;

namespace Virt.Qemu.Tests.Snapshots.Memory;

/// <summary>
/// <see cref="MemoryState"/> on a domain the driver started (the tiny test guest, 128 MiB, TCG): the state saved into a
/// file loads into a QEMU started from the same definition with <c>-incoming defer</c> through the driver's launch path,
/// and a failed save leaves no file.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MemoryStateTests : QemuRootTest
{
    private const long RamBytes = 128L * 1024 * 1024;

    private string Folder => Path.Combine(Root, "mem");

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(Folder);

    [TestCase(false)]
    [TestCase(true)]
    public void TheSavedStateIsTheRamOfANewQemuStartedWithIncomingDefer(bool live)
    {
        var vm = BootedAndPaused();
        string before = Ram(vm);
        if (live)
        {
            vm.Resume();
        }

        string file = Path.Combine(Folder, "vm.mem");
        var reports = new List<VirtProgress>();
        using (var monitor = Monitor())
        {
            MemoryState.Save(monitor, file, live, new SyncProgress(reports.Add), CancellationToken.None);
            Assert.That(monitor.QueryStatus(), Is.EqualTo(new StatusInfo(false, "postmigrate")));
        }

        string saved = live ? Ram(vm) : before;
        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Directory.GetFiles(Folder), Is.EqualTo(new[] { file }), "no temporary file is left");
            Assert.That(reports[^1].Current, Is.EqualTo(reports[^1].Total).And.GreaterThan(0));
        });

        string xml = vm.GetXmlDescription(DomainXmlFlags.Inactive);
        vm.Destroy();
        using var qemu = LaunchIncoming(xml, out var command);
        Assert.That(command.Arguments, Does.Contain("-incoming"));
        Assert.That(command.Arguments[command.Arguments.ToList().IndexOf("-incoming") + 1], Is.EqualTo("defer"));
        Assert.That(qemu.Monitor.QueryStatus().Status, Is.EqualTo("inmigrate"));
        MemoryState.Restore(qemu.Monitor, file, null, CancellationToken.None);
        Assert.That(qemu.Monitor.QueryStatus(), Is.EqualTo(new StatusInfo(false, "paused")));
        Assert.That(RamOf(qemu.Monitor), Is.EqualTo(saved));
        qemu.Monitor.Cont();
        Assert.That(qemu.Monitor.QueryStatus(), Is.EqualTo(new StatusInfo(true, "running")));
    }

    [Test]
    public void APausedGuestCanBeSavedTwiceWithoutAResume()
    {
        var vm = BootedAndPaused();
        using var monitor = Monitor();
        MemoryState.Save(monitor, Path.Combine(Folder, "first.mem"), live: false, null, CancellationToken.None);
        MemoryState.Save(monitor, Path.Combine(Folder, "second.mem"), live: false, null, CancellationToken.None);
        Assert.That(new FileInfo(Path.Combine(Folder, "second.mem")).Length, Is.GreaterThan(1024 * 1024));
        Assert.That(monitor.QueryStatus().Running, Is.False);
    }

    [Test]
    public void ACancelledSaveLeavesNoFileAndTheGuestRunningAsBefore()
    {
        var vm = BootedAndPaused();
        vm.Resume();
        string file = Path.Combine(Folder, "vm.mem");
        using var monitor = Monitor();
        monitor.MigrationBandwidth = 8L * 1024 * 1024;
        using var cancel = new CancellationTokenSource();
        var e = Assert.Throws<VirtException>(() => MemoryState.Save(monitor, file, live: false, new SyncProgress(p =>
        {
            if (p.Current > 0)
            {
                cancel.Cancel();
            }
        }), cancel.Token))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
            Assert.That(Directory.GetFiles(Folder), Is.Empty);
            Assert.That(monitor.QueryStatus(), Is.EqualTo(new StatusInfo(true, "running")));
        });
    }

    [Test]
    public void ASaveWhoseQemuIsKilledLeavesNoFile()
    {
        var vm = BootedAndPaused();
        string file = Path.Combine(Folder, "vm.mem");
        int pid = ProcessIdentity.FromPidFile(StateRoot.Embed(Root).PidFile("vm"))!.Value.Pid;
        using var monitor = Monitor();
        monitor.MigrationBandwidth = 8L * 1024 * 1024;
        var e = Assert.Throws<QmpConnectionException>(() => MemoryState.Save(monitor, file, live: false, new SyncProgress(p =>
        {
            if (p.Current > 0)
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
        }), CancellationToken.None))!;
        Assert.That(Directory.GetFiles(Folder), Is.Empty);
        for (int i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
        {
            Thread.Sleep(100); // SIGKILL is delivered at once, the process ends a moment later
        }

        Assert.That(vm.GetState().State, Is.EqualTo(DomainState.Shutoff));
    }

    [Test]
    public void RestoringAMissingFileIsAReadFailureNamingIt()
    {
        var vm = BootedAndPaused();
        string xml = vm.GetXmlDescription(DomainXmlFlags.Inactive);
        vm.Destroy();
        using var qemu = LaunchIncoming(xml, out _);
        string file = Path.Combine(Folder, "none.mem");
        var e = Assert.Throws<VirtException>(() => MemoryState.Restore(qemu.Monitor, file, null, CancellationToken.None))!;
        Assert.That(e.Code, Is.EqualTo(VirtErrorCode.ReadFailed));
        Assert.That(e.Message, Does.Contain("'" + file + "'"));
        Assert.That(qemu.Monitor.QueryStatus().Status, Is.EqualTo("inmigrate"));
    }

    private IVirtDomain BootedAndPaused()
    {
        var vm = Conn.DefineDomain(GuestDomains.Guest("vm", string.Empty));
        vm.Start();
        Thread.Sleep(1500);
        vm.Suspend();
        return vm;
    }

    private QmpClient Monitor() => QmpClient.Connect(StateRoot.Embed(Root).MonitorSocket("vm"));

    private string Ram(IVirtDomain vm)
    {
        string file = Path.Combine(Root, "ram.bin");
        vm.MonitorCommand("{\"execute\":\"pmemsave\",\"arguments\":" + JsonSerializer.Serialize(new { val = 0, size = RamBytes, filename = file }) + "}");
        return HashAndDelete(file);
    }

    private string RamOf(QmpClient monitor)
    {
        string file = Path.Combine(Root, "ram.bin");
        monitor.Pmemsave(0, RamBytes, file);
        return HashAndDelete(file);
    }

    private static string HashAndDelete(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        File.Delete(file);
        Assert.That(bytes, Has.Length.EqualTo(RamBytes));
        return Convert.ToHexString(SHA256.HashData(bytes));
    }

    /// <summary>Starts QEMU from <paramref name="xml"/> as the driver does (command line, daemonized launch), waiting for an incoming migration.</summary>
    private IncomingQemu LaunchIncoming(string xml, out QemuCommand command)
    {
        string run = Path.Combine(Root, "incoming");
        Directory.CreateDirectory(run);
        var paths = new QemuRuntimePaths(Path.Combine(run, "qmp.sock"), Path.Combine(run, "qemu.pid"), run, Nvram: null);
        command = QemuCommandLine.Build(DomainDefinition.Parse(xml), paths, incoming: true);
        return new IncomingQemu(QemuProcessLauncher.Launch(command, paths, TimeSpan.FromSeconds(30)));
    }

    private sealed class IncomingQemu(QemuLaunch launch) : IDisposable
    {
        public QmpClient Monitor => launch.Monitor;

        public void Dispose()
        {
            QemuProcessStop.Stop(launch.Process, launch.Monitor, graceful: false);
            launch.Monitor.Dispose();
        }
    }

    private sealed class SyncProgress(Action<VirtProgress> report) : IProgress<VirtProgress>
    {
        public void Report(VirtProgress value) => report(value);
    }
}
