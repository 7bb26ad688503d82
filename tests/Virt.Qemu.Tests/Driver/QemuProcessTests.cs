using Virt.Conf;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Images;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Driver;

/// <summary>Launching and stopping real QEMU 7.2 processes through the driver's process layer: QEMU runs in a session of
/// its own, its output goes to its log, and once it has ended nothing of it is left in the process table.</summary>
public class QemuProcessTests
{
    private string _dir = "";
    private QemuLaunch? _launch;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-proc-").FullName;

    [TearDown]
    public void TearDown()
    {
        if (_launch is { } launch)
        {
            launch.Monitor.Dispose();
            if (launch.Process.IsAlive)
            {
                ProcessSignals.Send(launch.Process, 18);
                ProcessSignals.Send(launch.Process, ProcessSignals.Kill);
                launch.Process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void QemuRunsPausedInASessionOfItsOwnAndQuitsFast()
    {
        _launch = QemuProcessLauncher.Launch(Command(DiskXml(CreateDisk())), Paths(), TimeSpan.FromSeconds(30));

        Assert.That(_launch.Process.IsAlive, Is.True);
        Assert.That(_launch.Monitor.QueryStatus().Status, Is.EqualTo("prelaunch"));
        Assert.That(SessionOf(_launch.Process.Pid), Is.Not.EqualTo(SessionOf(Environment.ProcessId)),
            "QEMU must not share the caller's session, or Ctrl-C in the caller's terminal would stop it");

        QemuProcessStop.Stop(_launch.Process, _launch.Monitor, graceful: false);

        Assert.That(_launch.Process.IsAlive, Is.False);
        Assert.That(File.Exists(Paths().PidFile), Is.False, "QEMU removes its pid file as it quits");
    }

    [Test]
    public void QemusOwnErrorReachesTheCallerAndNoProcessIsLeft()
    {
        string missing = Path.Combine(_dir, "missing.qcow2");

        var ex = Assert.Throws<VirtException>(() => QemuProcessLauncher.Launch(Command(DiskXml(missing)), Paths(), TimeSpan.FromSeconds(30)));

        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InternalError));
        Assert.That(ex.Message, Does.StartWith("internal error: process exited while connecting to monitor: "));
        Assert.That(ex.Message, Does.Contain(missing).And.Contain("No such file or directory"));
        Assert.That(File.Exists(Paths().PidFile), Is.False);
        Assert.That(File.Exists(Paths().QmpSocket), Is.False);
    }

    [Test]
    public void AMissingEmulatorIsNamed()
    {
        var def = DomainDefinition.Parse("<domain type='qemu'><name>d</name><memory>16384</memory><os><type>hvm</type></os><devices><emulator>/nonexistent/qemu</emulator></devices></domain>");

        var ex = Assert.Throws<VirtException>(() => QemuProcessLauncher.Launch(QemuCommandLine.Build(def, Paths()), Paths(), TimeSpan.FromSeconds(30)));

        Assert.That(ex!.Message, Does.StartWith("internal error: Failed to start QEMU binary /nonexistent/qemu: "));
    }

    [Test]
    public void AFrozenQemuSurvivesAGracefulStopAndNotAForcedOne()
    {
        _launch = QemuProcessLauncher.Launch(Command(DiskXml(CreateDisk())), Paths(), TimeSpan.FromSeconds(30));
        ProcessSignals.Send(_launch.Process, 19);

        var ex = Assert.Throws<VirtException>(() =>
            QemuProcessStop.Stop(_launch.Process, _launch.Monitor, graceful: true, terminateGrace: TimeSpan.FromMilliseconds(300)));
        Assert.That(ex!.Message, Is.EqualTo($"Failed to terminate process {_launch.Process.Pid} with SIGTERM: Device or resource busy"));
        Assert.That(_launch.Process.IsAlive, Is.True);

        QemuProcessStop.Stop(_launch.Process, monitor: null, graceful: false, terminateGrace: TimeSpan.FromMilliseconds(300));

        Assert.That(_launch.Process.IsAlive, Is.False);
    }

    [Test]
    public void AStartThatOnlyResumesTalksQmpOnItsOwnThreadAndSkipsEvents()
    {
        var (qemu, monitor) = QemuProcessLauncher.LaunchForResume(Command(DiskXml(CreateDisk())), Paths(), TimeSpan.FromSeconds(30));
        try
        {
            monitor.Execute("cont");
            monitor.Execute("stop");
            monitor.Execute("cont");
            var e = Assert.Throws<QmpCommandException>(() => monitor.Execute("no-such-command"));
            Assert.That(e!.ErrorClass, Is.EqualTo("CommandNotFound"));
            monitor.Dispose();

            Assert.That(Virt.Qemu.Driver.Monitor.QemuStatusProbe.TryQuery(Paths().QmpSocket, TimeSpan.FromSeconds(5)), Is.EqualTo(new StatusInfo(true, "running")),
                "QEMU resumed, and serves the next client once the start's monitor is closed");
        }
        finally
        {
            monitor.Dispose();
            QemuProcessStop.Stop(qemu, monitor: null, graceful: false);
        }
    }

    [Test]
    public void QemusOwnErrorReachesAStartThatOnlyResumes()
    {
        string missing = Path.Combine(_dir, "missing.qcow2");

        var ex = Assert.Throws<VirtException>(() => QemuProcessLauncher.LaunchForResume(Command(DiskXml(missing)), Paths(), TimeSpan.FromSeconds(30)));

        Assert.That(ex!.Message, Does.StartWith("internal error: process exited while connecting to monitor: ").And.Contain(missing));
        Assert.That(File.Exists(Paths().QmpSocket), Is.False);
    }

    [Test]
    public void APidWithAnotherStartTimeIsNotTheSameProcess()
    {
        var me = ProcessIdentity.Read(Environment.ProcessId)!.Value;

        Assert.That(me.IsAlive, Is.True);
        Assert.That((me with { StartTime = me.StartTime + 1 }).IsAlive, Is.False);
        Assert.That(ProcessSignals.Send(me with { StartTime = me.StartTime + 1 }, ProcessSignals.Kill), Is.False, "no signal to a process that merely reuses the pid");
    }

    [Test]
    public void AQemuThatHasQuitLeavesNoZombie()
    {
        var launch = QemuProcessLauncher.Launch(Command(DiskXml(CreateDisk())), Paths(), TimeSpan.FromSeconds(30));
        int pid = launch.Process.Pid;
        Assert.That(ParentOf(pid), Is.EqualTo(Environment.ProcessId), "this process spawned QEMU itself");

        QemuProcessStop.Stop(launch.Process, launch.Monitor, graceful: false);
        launch.Monitor.Dispose();

        Assert.That(Directory.Exists("/proc/" + pid), Is.False, "the ended QEMU is reaped, not left a zombie holding its pid");
    }

    [Test]
    public void QemusErrorIsKeptInItsLogAndEachFailedStartReportsOnlyItsOwn()
    {
        string first = Path.Combine(_dir, "first-missing.qcow2");
        string second = Path.Combine(_dir, "second-missing.qcow2");

        var firstError = Assert.Throws<VirtException>(() => QemuProcessLauncher.Launch(Command(DiskXml(first)), Paths(), TimeSpan.FromSeconds(30)));
        var secondError = Assert.Throws<VirtException>(() => QemuProcessLauncher.Launch(Command(DiskXml(second)), Paths(), TimeSpan.FromSeconds(30)));

        Assert.That(firstError!.Message, Does.Contain(first));
        Assert.That(secondError!.Message, Does.Contain(second).And.Not.Contain(first));
        string log = File.ReadAllText(Path.Combine(_dir, QemuProcessLauncher.LogFileName));
        Assert.That(log, Does.Contain(first).And.Contain(second), "QEMU's output stays in its log");
    }

    private QemuRuntimePaths Paths() => new(Path.Combine(_dir, "qmp.sock"), Path.Combine(_dir, "qemu.pid"), _dir, Nvram: null);

    private QemuCommand Command(string disks) => QemuCommandLine.Build(DomainDefinition.Parse($"""
        <domain type='qemu'><name>proc</name><memory unit='MiB'>16</memory><os><type>hvm</type></os><devices>{disks}</devices></domain>
        """), Paths());

    private string CreateDisk()
    {
        string disk = Path.Combine(_dir, "disk.qcow2");
        QemuImage.Create(disk, 1 << 20);
        return disk;
    }

    private static string DiskXml(string path) =>
        $"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{path}'/><target dev='vda' bus='virtio'/></disk>";

    private static string SessionOf(int pid) => ProcStat.Read(pid)![ProcStat.Index(6)];

    private static int ParentOf(int pid) => int.Parse(ProcStat.Read(pid)![ProcStat.Index(4)], System.Globalization.CultureInfo.InvariantCulture);
}
