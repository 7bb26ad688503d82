using Virt.Qemu.Tests.Driver;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// The tiny test guest (a Linux kernel and a busybox init that prints a counter on its serial console) snapshotted
/// while it runs, left to count on, then reverted in place: the same QEMU, and the guest counts on from the value it
/// had when the snapshot was taken, as its console shows.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class GuestCounterRevertTests : QemuRootTest
{
    [Test]
    public void AfterAnInPlaceRevertTheConsoleCounterContinuesFromItsValueAtTheSnapshot()
    {
        var (dom, qemu) = GuestCounterRevert.Run(Conn, Root, Path.Combine(Root, "guest.qcow2"), "<domainsnapshot><name>counting</name></domainsnapshot>");
        Assert.That(SnapshotProbeRoot.QemuPid(Root, "guest"), Is.EqualTo(qemu), "reverted in place, in the same QEMU");
        dom.Destroy();
        Assert.That(SnapshotProbeRoot.CheckImages(Root), Is.Empty);
    }
}
