using System.Globalization;
using System.Text.RegularExpressions;
using Virt.Qemu.Images;
using Virt.Qemu.Tests.Driver;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// UEFI domains (Debian's OVMF, a qcow2 NVRAM) reverted to internal snapshots, in place and with a new QEMU: the disk's
/// data, the guest's RAM and the NVRAM all come back. One snapshot is taken by HMP <c>savevm</c>, which puts the
/// vmstate into the NVRAM image, and redefined from the XML <c>virsh snapshot-dumpxml</c> prints; the other is
/// created through Virt (libvirt 9.0 refuses internal snapshots of UEFI domains).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public partial class UefiSnapshotRevertTests : QemuRootTest
{
    private const long RamBytes = 64 << 20;
    private const long DiskOffset = 1 << 20;
    private const int DiskLength = 64 << 10;
    private const int NvramLength = 4096;

    private string _disk = "";
    private string _nvram = "";
    private long _nvramOffset;

    [Test]
    public void ASnapshotTakenByHmpSavevmAndRedefinedRevertsInPlaceAndWithANewQemu()
    {
        var dom = DefineAndPause();
        var monitor = SnapshotProbeMonitor.Of(dom);
        SnapshotProbeDisk.Write(monitor, Vda, 0x11, DiskOffset, DiskLength);
        byte[] nvramAtSnapshot = SnapshotProbeDisk.Read(_nvram, _nvramOffset, NvramLength);
        string ramAtSnapshot = SnapshotProbeMemory.Fingerprint(monitor, RamBytes, Root);
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.That(dom.MonitorCommand("savevm s1", MonitorCommandFlags.Hmp), Is.Empty);
        Assert.That(QemuImage.ListSnapshots(_nvram).Single(s => s.Name == "s1").VmStateSize, Is.GreaterThan(0), "HMP savevm put the vmstate in the NVRAM");
        Assert.That(QemuImage.ListSnapshots(_disk).Single(s => s.Name == "s1").VmStateSize, Is.Zero);
        var snapshot = dom.CreateSnapshot(DumpXmlOf("s1", "paused", created, dom), SnapshotCreateFlags.Redefine | SnapshotCreateFlags.Current);
        Assert.That(dom.GetCurrentSnapshot().Name, Is.EqualTo("s1"));

        int qemu = SnapshotProbeRoot.QemuPid(Root, "uefi");
        ChangeEverything(dom, 0x22, ramAtSnapshot);
        snapshot.Revert(SnapshotRevertFlags.Paused);
        AssertBackAtTheSnapshot(dom, 0x11, nvramAtSnapshot, ramAtSnapshot, "in place");
        Assert.That(SnapshotProbeRoot.QemuPid(Root, "uefi"), Is.EqualTo(qemu), "reverted in the same QEMU");

        ChangeEverything(dom, 0x33, ramAtSnapshot);
        dom.Destroy();
        snapshot.Revert(SnapshotRevertFlags.Paused);
        AssertBackAtTheSnapshot(dom, 0x11, nvramAtSnapshot, ramAtSnapshot, "with a new QEMU");

        dom.Destroy();
        Assert.That(SnapshotProbeRoot.CheckImages(Root), Is.Empty);
    }

    [Test]
    public void ASnapshotCreatedThroughVirtRevertsInPlaceAndWithANewQemu()
    {
        var dom = DefineAndPause();
        var monitor = SnapshotProbeMonitor.Of(dom);
        SnapshotProbeDisk.Write(monitor, Vda, 0x44, DiskOffset, DiskLength);
        byte[] nvramAtSnapshot = SnapshotProbeDisk.Read(_nvram, _nvramOffset, NvramLength);
        string ramAtSnapshot = SnapshotProbeMemory.Fingerprint(monitor, RamBytes, Root);

        var snapshot = dom.CreateSnapshot("<domainsnapshot><name>v1</name></domainsnapshot>");
        Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Paused), "a snapshot of a paused domain leaves it paused");
        Assert.That(QemuImage.ListSnapshots(_disk).Single(s => s.Name == "v1").VmStateSize, Is.GreaterThan(0), "the vmstate is on the disk");
        Assert.That(QemuImage.ListSnapshots(_nvram).Single(s => s.Name == "v1").VmStateSize, Is.Zero, "the NVRAM is among the snapshot's devices");
        Assert.That(snapshot.GetXmlDescription(), Does.Contain("<state>paused</state>").And.Contain("<memory snapshot='internal'/>"));

        int qemu = SnapshotProbeRoot.QemuPid(Root, "uefi");
        ChangeEverything(dom, 0x55, ramAtSnapshot);
        snapshot.Revert();
        AssertBackAtTheSnapshot(dom, 0x44, nvramAtSnapshot, ramAtSnapshot, "in place");
        Assert.That(SnapshotProbeRoot.QemuPid(Root, "uefi"), Is.EqualTo(qemu), "reverted in the same QEMU");

        ChangeEverything(dom, 0x66, ramAtSnapshot);
        dom.Destroy();
        snapshot.Revert();
        AssertBackAtTheSnapshot(dom, 0x44, nvramAtSnapshot, ramAtSnapshot, "with a new QEMU");

        dom.Destroy();
        Assert.That(SnapshotProbeRoot.CheckImages(Root), Is.Empty);
    }

    private static string Vda => SnapshotProbeDisk.VirtioDevice("virtio-disk0");

    /// <summary>The domain, started under TCG with OVMF, left to run until its RAM changes, then paused.</summary>
    private IVirtDomain DefineAndPause()
    {
        _disk = Path.Combine(Root, "uefi.qcow2");
        QemuImage.Create(_disk, 16 << 20);
        var dom = Conn.DefineDomain($"""
            <domain type='qemu'>
              <name>uefi</name>
              <memory unit='KiB'>{RamBytes / 1024}</memory>
              <os>
                <type arch='x86_64' machine='q35'>hvm</type>
                <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
                <nvram format='qcow2'/>
              </os>
              <devices>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{_disk}'/><target dev='vda' bus='virtio'/></disk>
              </devices>
            </domain>
            """);
        _nvram = Path.Combine(Root, "domains", "uefi", "nvram.qcow2");
        dom.Start(DomainStartFlags.Paused);
        // The end of the variable store (the fault-tolerant-write spare area): bytes the firmware does not need.
        _nvramOffset = QemuImage.GetInfo(_nvram).VirtualSize - NvramLength;
        string start = SnapshotProbeMemory.Fingerprint(SnapshotProbeMonitor.Of(dom), RamBytes, Root);
        SnapshotProbeMemory.RunUntilChanged(dom, start, RamBytes, Root);
        return dom;
    }

    /// <summary>RAM that has moved on, and new data on the disk and in the NVRAM (through the running QEMU); the domain ends paused.</summary>
    /// <remarks>The guest runs first: after a load, QEMU's flash device writes its own copy of the NVRAM (from the vmstate)
    /// back to the image when the guest next runs, over anything written to the image behind its back.</remarks>
    private void ChangeEverything(IVirtDomain dom, byte pattern, string ramAtSnapshot)
    {
        var monitor = SnapshotProbeMonitor.Of(dom);
        SnapshotProbeMemory.RunUntilChanged(dom, ramAtSnapshot, RamBytes, Root);
        SnapshotProbeDisk.Write(monitor, Vda, pattern, DiskOffset, DiskLength);
        SnapshotProbeDisk.Write(monitor, SnapshotProbeDisk.Node("libvirt-pflash1-format"), pattern, _nvramOffset, NvramLength);
        Assert.That(SnapshotProbeDisk.Fill(_disk, DiskOffset, DiskLength), Is.EqualTo(pattern), "the disk changed");
        Assert.That(SnapshotProbeDisk.Fill(_nvram, _nvramOffset, NvramLength), Is.EqualTo(pattern), "the NVRAM changed");
    }

    private void AssertBackAtTheSnapshot(IVirtDomain dom, byte diskPattern, byte[] nvram, string ram, string how)
    {
        Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Paused), how);
        Assert.That(SnapshotProbeMemory.Fingerprint(SnapshotProbeMonitor.Of(dom), RamBytes, Root), Is.EqualTo(ram), how + ": RAM");
        Assert.That(SnapshotProbeDisk.Fill(_disk, DiskOffset, DiskLength), Is.EqualTo(diskPattern), how + ": disk");
        Assert.That(SnapshotProbeDisk.Read(_nvram, _nvramOffset, NvramLength), Is.EqualTo(nvram), how + ": NVRAM");
    }

    /// <summary>What <c>virsh snapshot-dumpxml</c> prints for an internal snapshot with memory of this domain.</summary>
    private static string DumpXmlOf(string name, string state, long created, IVirtDomain dom)
    {
        string domain = LiveId().Replace(dom.GetXmlDescription(DomainXmlFlags.Inactive), "$1");
        string indented = string.Join('\n', domain.TrimEnd('\n').Split('\n').Select(l => "  " + l));
        return string.Create(CultureInfo.InvariantCulture, $"""
            <domainsnapshot>
              <name>{name}</name>
              <state>{state}</state>
              <creationTime>{created}</creationTime>
              <memory snapshot='internal'/>
              <disks>
                <disk name='vda' snapshot='internal'/>
              </disks>
            {indented}
            </domainsnapshot>
            """);
    }

    [GeneratedRegex(@"^(<domain type='[a-z]+') id='\d+'")]
    private static partial Regex LiveId();
}
