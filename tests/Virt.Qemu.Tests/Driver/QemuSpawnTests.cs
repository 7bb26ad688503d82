using Virt.Conf;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Driver;

/// <summary>QEMU spawned by this process in a session of its own: its output goes to its log, and once it has ended
/// nothing of it is left in the process table.</summary>
public class QemuSpawnTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-spawn-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

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
        <domain type='qemu'><name>spawn</name><memory unit='MiB'>16</memory><os><type>hvm</type></os><devices>{disks}</devices></domain>
        """), Paths());

    private string CreateDisk()
    {
        string disk = Path.Combine(_dir, "disk.qcow2");
        QemuImage.Create(disk, 1 << 20);
        return disk;
    }

    private static string DiskXml(string path) =>
        $"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{path}'/><target dev='vda' bus='virtio'/></disk>";

    private static int ParentOf(int pid) => int.Parse(ProcStat.Read(pid)![ProcStat.Index(4)], System.Globalization.CultureInfo.InvariantCulture);
}
