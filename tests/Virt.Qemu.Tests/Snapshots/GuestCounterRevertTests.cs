using System.Security;
using Virt.Qemu.Images;
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
        string disk = Path.Combine(Root, "guest.qcow2");
        QemuImage.Create(disk, 16 << 20);
        var dom = Conn.DefineDomain(GuestDomains.Guest("guest", "virt.interval=200",
            $"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{SecurityElement.Escape(disk)}'/><target dev='vda' bus='virtio'/></disk>"));
        var console = new SnapshotProbeConsole(Path.Combine(Root, "log", "guest", "serial0.log"));
        dom.Start();
        console.WaitForCounter(3);
        int qemu = SnapshotProbeRoot.QemuPid(Root, "guest");

        long beforeCreate = console.Mark();
        var snapshot = dom.CreateSnapshot("<domainsnapshot><name>counting</name></domainsnapshot>");
        long afterCreate = console.Mark();
        int lowest = console.LastCounter(beforeCreate);
        int highest = console.LastCounter(afterCreate);
        Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Running), "a snapshot of a running guest leaves it running");
        console.WaitForCounter(highest + 6, afterCreate);
        dom.Suspend();
        long beforeRevert = console.Mark();
        int reached = console.LastCounter();

        snapshot.Revert();
        console.WaitForCounter(0, beforeRevert);
        console.WaitForCounter(console.Counters(beforeRevert)[0] + 2, beforeRevert);

        var after = console.Counters(beforeRevert);
        // The snapshot was taken between the two marks; a line the guest was printing just then completes after the revert.
        Assert.That(after[0], Is.InRange(lowest + 1, highest + 2), $"counted to {reached} before the revert; the snapshot was taken at {lowest}..{highest}");
        Assert.That(after[0], Is.LessThan(reached), "the counter went back");
        Assert.That(after.Take(3), Is.EqualTo(new[] { after[0], after[0] + 1, after[0] + 2 }), "and counts on from there");
        Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Running), "the snapshot was of a running guest");
        Assert.That(SnapshotProbeRoot.QemuPid(Root, "guest"), Is.EqualTo(qemu), "reverted in place, in the same QEMU");
        Assert.That(dom.GetCurrentSnapshot().Name, Is.EqualTo("counting"));
        dom.Destroy();
        Assert.That(SnapshotProbeRoot.CheckImages(Root), Is.Empty);
    }
}
