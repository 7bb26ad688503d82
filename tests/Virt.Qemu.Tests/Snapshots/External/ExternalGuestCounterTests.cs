using System.Security;
using Virt.Qemu.Tests.Driver;

namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>
/// The tiny test guest (a Linux kernel and a busybox init that prints a counter on its serial console) snapshotted with
/// its memory while it counts, left to count on, then reverted: a new QEMU loads the memory before any vCPU runs, and
/// the guest counts on from the value it had when the snapshot was taken, not from 0 and not from the later value.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExternalGuestCounterTests : QemuRootTest
{
    [Test]
    public void AfterAMemoryRevertTheConsoleCounterContinuesFromItsValueAtTheSnapshot()
    {
        string images = Directory.CreateDirectory(Path.Combine(Root, "images")).FullName;
        string memory = Path.Combine(images, "counting.mem");
        var (dom, qemu) = GuestCounterRevert.Run(Conn, Root, Path.Combine(images, "guest.qcow2"),
            $"<domainsnapshot><name>counting</name><memory snapshot='external' file='{SecurityElement.Escape(memory)}'/></domainsnapshot>");
        Assert.That(SnapshotProbeRoot.QemuPid(Root, "guest"), Is.Not.EqualTo(qemu), "the memory was loaded into a new QEMU");
        dom.Destroy();
        ExternalFileCheck.Verify(dom, Root, images);
    }
}
