using System.Diagnostics;
using System.Security;
using System.Text;

namespace Virt.Qemu.Tests.Driver;

/// <summary>
/// The whole path with a real guest (scripts/build-test-guest.sh, built once and cached): boot under TCG, the
/// guest's console in the root's serial log, data the guest wrote on its disk, pause, and an ACPI shutdown that the
/// driver reports as a shutdown, not a crash.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class GuestBootTests : QemuRootTest
{
    [Test]
    public void TheGuestBootsWritesItsDiskAndPowersOffThroughAcpi()
    {
        string disk = Path.Combine(Root, "disk.raw");
        File.WriteAllBytes(disk, new byte[1 << 20]);
        var dom = Conn.DefineDomain(GuestDomains.Guest("guest", "virt.interval=200 virt.marker=/dev/vda:4096:written-by-the-guest",
            $"<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='{SecurityElement.Escape(disk)}'/><target dev='vda' bus='virtio'/></disk>"));
        string console = Path.Combine(Root, "log", "guest", "serial0.log");

        dom.Start();
        WaitForConsole(console, "VIRT-GUEST COUNTER 2", TimeSpan.FromMinutes(3));
        dom.Suspend();
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)));
        dom.Resume();
        dom.ShutdownAndWait(TimeSpan.FromSeconds(60));

        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Shutdown)));
        Assert.That(File.ReadAllText(console), Does.Contain("VIRT-GUEST MARKER WRITTEN /dev/vda:4096:written-by-the-guest").And.Contain("VIRT-GUEST POWEROFF"));
        byte[] data = File.ReadAllBytes(disk);
        Assert.That(Encoding.ASCII.GetString(data, 4096, 20), Is.EqualTo("written-by-the-guest"));
    }

    private static void WaitForConsole(string path, string line, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (new StreamReader(stream).ReadToEnd().Contains(line, StringComparison.Ordinal))
                {
                    return;
                }
            }

            Thread.Sleep(100);
        }

        Assert.Fail($"the guest did not print '{line}' within {timeout}; console so far:\n" + (File.Exists(path) ? File.ReadAllText(path) : "(none)"));
    }
}
