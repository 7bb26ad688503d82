using System.Buffers.Binary;
using Virt.Qemu.Images;
using Virt.Qemu.Qmp;
using Virt.Qemu.Tests.Driver;
using Virt.Qemu.Tests.Qmp;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// The snapshot proofs' own instruments, shown to tell a change from no change: a pattern written through the running
/// QEMU is read offline and a region never written is not; a RAM fingerprint is stable while paused, moves when the
/// guest (SeaBIOS, whose timer tick lives in RAM) runs, and comes back with an HMP loadvm; a damaged image is reported.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SnapshotProbeTests : QemuRootTest
{
    private const long RamBytes = 16 << 20;

    [Test]
    public void APatternWrittenThroughTheDeviceIsReadOfflineWhileQemuRunsAndAfterIt()
    {
        string disk = Path.Combine(Root, "a.qcow2");
        QemuImage.Create(disk, 4 << 20);
        var dom = Define("probe", Disk(disk, "vda", shareable: false));
        dom.Start(DomainStartFlags.Paused);
        var monitor = SnapshotProbeMonitor.Of(dom);

        SnapshotProbeDisk.Write(monitor, SnapshotProbeDisk.VirtioDevice("virtio-disk0"), 0xa5, 65536, 8192);

        Assert.That(SnapshotProbeDisk.Fill(disk, 65536, 8192), Is.EqualTo(0xa5), "read while QEMU holds the image");
        dom.Destroy();
        Assert.That(SnapshotProbeDisk.Fill(disk, 65536, 8192), Is.EqualTo(0xa5));
        Assert.That(SnapshotProbeDisk.Fill(disk, 65536 - 512, 512), Is.EqualTo(0), "the bytes before the pattern were never written");
        Assert.That(SnapshotProbeDisk.Read(disk, 65536 - 2, 4), Is.EqualTo(new byte[] { 0, 0, 0xa5, 0xa5 }));
        Assert.That(SnapshotProbeDisk.Fill(disk, 65536 - 2, 4), Is.Null, "a mixed region has no single fill");
    }

    [Test]
    public void APatternWrittenThroughTheNodeOfAShareableDiskReachesThatDiskOnly()
    {
        string first = Path.Combine(Root, "a.qcow2");
        string second = Path.Combine(Root, "b.qcow2");
        QemuImage.Create(first, 1 << 20);
        QemuImage.Create(second, 1 << 20);
        var dom = Define("probe", Disk(first, "vda", shareable: true) + Disk(second, "vdb", shareable: true));
        dom.Start(DomainStartFlags.Paused);
        var monitor = SnapshotProbeMonitor.Of(dom);

        SnapshotProbeDisk.Write(monitor, SnapshotProbeDisk.Node("libvirt-2-format"), 0x3c, 0, 4096);
        var ex = Assert.Throws<InvalidOperationException>(() => SnapshotProbeDisk.Write(monitor, SnapshotProbeDisk.Node("no-such-node"), 0x3c, 0, 4096));

        Assert.That(ex!.Message, Does.StartWith("qemu-io no-such-node: "));
        Assert.That(SnapshotProbeDisk.Fill(second, 0, 4096), Is.EqualTo(0x3c));
        Assert.That(SnapshotProbeDisk.Fill(first, 0, 4096), Is.EqualTo(0));
    }

    [Test]
    public void TheRamFingerprintHoldsWhilePausedMovesWhenTheGuestRunsAndReturnsWithLoadvm()
    {
        using var qemu = QemuProcess.Start();
        using var client = QmpClient.Connect(qemu.SocketPath);
        var monitor = SnapshotProbeMonitor.Of(client);
        monitor.Execute("cont");
        RunUntilRamChanges(monitor, null, qemu.Folder);
        monitor.Execute("stop");
        string saved = SnapshotProbeMemory.Fingerprint(monitor, RamBytes, qemu.Folder);
        Assert.That(SnapshotProbeMemory.Fingerprint(monitor, RamBytes, qemu.Folder), Is.EqualTo(saved), "paused RAM does not change");
        Assert.That(monitor.Hmp("savevm s1"), Is.Empty);

        string moved = RunUntilRamChanges(monitor, saved, qemu.Folder);
        Assert.That(monitor.Hmp("loadvm s1"), Is.Empty);

        Assert.That(moved, Is.Not.EqualTo(saved));
        Assert.That(SnapshotProbeMemory.Fingerprint(monitor, RamBytes / 4, qemu.Folder), Is.Not.EqualTo(saved), "another size is another fingerprint");
        Assert.That(SnapshotProbeMemory.Fingerprint(monitor, RamBytes, qemu.Folder), Is.EqualTo(saved));
        Assert.That(QemuImage.ListSnapshots(qemu.DiskPath).Single().VmStateSize, Is.GreaterThan(0));
    }

    [Test]
    public void AFingerprintOfARunningGuestIsRefused()
    {
        var dom = Define("probe", "");
        dom.Start();

        var ex = Assert.Throws<InvalidOperationException>(() => SnapshotProbeMemory.Fingerprint(SnapshotProbeMonitor.Of(dom), RamBytes, Root));

        Assert.That(ex!.Message, Does.Contain("pause it first"));
    }

    [Test]
    public void TheImageCheckReportsADamagedImageAndTheFileListShowsEveryFile()
    {
        // A folder of its own: the fixture's root also holds the driver's files (the autostart marker, the id counter).
        string folder = Path.Combine(Root, "probe-files");
        string clean = Path.Combine(folder, "sub", "clean.qcow2");
        string damaged = Path.Combine(folder, "damaged.img");
        Directory.CreateDirectory(Path.GetDirectoryName(clean)!);
        QemuImage.Create(clean, 1 << 20);
        QemuImage.Create(damaged, 1 << 20);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not an image");
        Assert.That(SnapshotProbeRoot.CheckImages(folder), Is.Empty);

        PointFirstL2TableOffCluster(damaged);

        var problems = SnapshotProbeRoot.CheckImages(folder);
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("damaged.img: exit 2: "));
        Assert.That(SnapshotProbeRoot.Qcow2Images(folder), Is.EqualTo(new[] { damaged, clean }));
        Assert.That(SnapshotProbeRoot.Files(folder), Is.EqualTo(new[] { "damaged.img", "notes.txt", "sub/clean.qcow2" }));
    }

    private static string RunUntilRamChanges(SnapshotProbeMonitor monitor, string? from, string folder)
    {
        for (int i = 0; i < 100; i++)
        {
            monitor.Execute("cont");
            Thread.Sleep(100);
            monitor.Execute("stop");
            string now = SnapshotProbeMemory.Fingerprint(monitor, RamBytes, folder);
            if (from is null || now != from)
            {
                return now;
            }
        }

        Assert.Fail("the guest's RAM did not change in 100 runs");
        return "";
    }

    /// <summary>Makes the first L1 entry name an L2 table at an offset that is not cluster-aligned: a corruption qemu-img check reports.</summary>
    private static void PointFirstL2TableOffCluster(string image)
    {
        using var file = new FileStream(image, FileMode.Open, FileAccess.ReadWrite);
        var header = new byte[48];
        file.ReadExactly(header);
        long l1 = BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(40));
        var entry = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(entry, 0x8000000000000200UL);
        file.Position = l1;
        file.Write(entry);
    }

    private IVirtDomain Define(string name, string disks) => Conn.DefineDomain($"""
        <domain type='qemu'>
          <name>{name}</name>
          <memory unit='KiB'>{RamBytes / 1024}</memory>
          <os><type arch='x86_64' machine='q35'>hvm</type></os>
          <devices>{disks}</devices>
        </domain>
        """);

    private static string Disk(string path, string dev, bool shareable) =>
        $"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{path}'/><target dev='{dev}' bus='virtio'/>{(shareable ? "<shareable/>" : "")}</disk>";
}
