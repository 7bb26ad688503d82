using System.Security;
using Virt.Qemu.Images;
using Virt.Qemu.Tests.Driver;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// The counter proof shared by the in-place and the external memory revert: the tiny guest (one qcow2 disk at
/// <paramref name="disk"/>, counting every 200 ms on its console) is snapshotted while it counts, left to count on,
/// suspended and reverted; asserts its counter continues from its value at the snapshot, running.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class GuestCounterRevert
{
    /// <summary>Runs the proof on domain <c>guest</c> of <paramref name="conn"/> with the snapshot <paramref name="snapshotXml"/> (named <c>counting</c>).</summary>
    /// <returns>The domain, still running after the revert, and the pid of the QEMU that ran it before.</returns>
    public static (IVirtDomain Domain, int QemuBefore) Run(IVirtConnection conn, string root, string disk, string snapshotXml)
    {
        QemuImage.Create(disk, 16 << 20);
        var dom = conn.DefineDomain(GuestDomains.Guest("guest", "virt.interval=200",
            $"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{SecurityElement.Escape(disk)}'/><target dev='vda' bus='virtio'/></disk>"));
        var console = new SnapshotProbeConsole(Path.Combine(root, "log", "guest", "serial0.log"));
        dom.Start();
        console.WaitForCounter(3);
        int qemu = SnapshotProbeRoot.QemuPid(root, "guest");

        long beforeCreate = console.Mark();
        var snapshot = dom.CreateSnapshot(snapshotXml);
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
        Assert.That(dom.GetCurrentSnapshot().Name, Is.EqualTo("counting"));
        return (dom, qemu);
    }
}
