using System.Diagnostics;
using System.Globalization;
using Virt.Conf;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Images;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Driver;

/// <summary>The built arguments start the real QEMU 7.2: it daemonizes, waits in prelaunch and knows every node by its recorded name.</summary>
public class QemuCommandLineLaunchTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("virt-cmdline-").FullName;

    [TearDown]
    public void TearDown()
    {
        string pidFile = Path.Combine(_dir, "qemu.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out int pid))
        {
            try
            {
                QemuKill.AndWait(pid);
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void AUefiQ35DomainWithEveryBusStartsPausedWithItsNodeNames()
    {
        string disk = Path.Combine(_dir, "disk.qcow2");
        string data = Path.Combine(_dir, "data.raw");
        string nvram = Path.Combine(_dir, "VARS.qcow2");
        QemuImage.Create(disk, 16 << 20);
        File.WriteAllBytes(data, new byte[1 << 20]);
        QemuImgRun("convert", "-f", "raw", "-O", "qcow2", "/usr/share/OVMF/OVMF_VARS_4M.fd", nvram);
        var def = DomainDefinition.Parse($"""
            <domain type='qemu'>
              <name>every,bus</name>
              <memory unit='MiB'>64</memory>
              <os>
                <type arch='x86_64' machine='q35'>hvm</type>
                <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
                <nvram format='qcow2'>{nvram}</nvram>
              </os>
              <devices>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disk}'/><target dev='vda' bus='virtio'/><shareable/></disk>
                <disk type='file' device='disk'><driver name='qemu' type='raw' cache='writethrough'/><source file='{data}'/><target dev='sda' bus='sata'/></disk>
                <disk type='file' device='cdrom'><target dev='sdb' bus='sata'/><readonly/></disk>
                <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='{data}'/><target dev='sdc' bus='scsi'/><readonly/><shareable/></disk>
                <interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='e1000e'/></interface>
                <serial type='pty'/>
                <memballoon model='virtio'/>
              </devices>
            </domain>
            """);
        var paths = new QemuRuntimePaths(Path.Combine(_dir, "qmp.sock"), Path.Combine(_dir, "qemu.pid"), _dir, Nvram: null);

        var command = QemuCommandLine.Build(def, paths);
        Launch(command);

        using var qmp = QmpClient.Connect(paths.QmpSocket);
        Assert.That(qmp.QueryStatus().Status, Is.EqualTo("prelaunch"));
        var nodes = qmp.QueryNamedBlockNodes().Select(n => n.NodeName).ToHashSet();
        Assert.That(nodes, Is.SupersetOf(command.Disks.Where(d => d.FormatNode is not null).SelectMany(d => new[] { d.FormatNode, d.StorageNode })));
        Assert.That(nodes, Is.SupersetOf(new[] { "libvirt-pflash0-format", "libvirt-pflash1-format" }));
        Assert.That(File.Exists(Path.Combine(_dir, "serial0.log")), Is.True);
        qmp.Quit();
    }

    [Test]
    public void APcDomainWithIdeAndKernelBootStartsPaused()
    {
        string disk = Path.Combine(_dir, "disk.raw");
        File.WriteAllBytes(disk, new byte[1 << 20]);
        var def = DomainDefinition.Parse($"""
            <domain type='qemu'>
              <name>pc</name>
              <memory unit='MiB'>32</memory>
              <vcpu current='1'>2</vcpu>
              <os><type machine='pc'>hvm</type><kernel>/dev/null</kernel></os>
              <devices>
                <disk type='file' device='disk'><source file='{disk}'/><target dev='hda' bus='ide'/></disk>
                <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
              </devices>
            </domain>
            """);
        var paths = new QemuRuntimePaths(Path.Combine(_dir, "qmp.sock"), Path.Combine(_dir, "qemu.pid"), _dir, Nvram: null);

        var command = QemuCommandLine.Build(def, paths);

        Assert.That(() => Launch(command), Throws.InvalidOperationException.With.Message.Contain("kernel"),
            "an empty kernel image is refused by QEMU itself, before it daemonizes: the error reaches the caller");
    }

    private static void Launch(QemuCommand command)
    {
        var start = new ProcessStartInfo(command.Emulator) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in command.Arguments)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("QEMU failed: " + stderr.Result);
        }
    }

    private static void QemuImgRun(params string[] args)
    {
        var start = new ProcessStartInfo("qemu-img") { UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero);
    }
}
