using System.Xml.Linq;
using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Snapshots.External;

/// <summary>
/// Base of the external-snapshot tests: the two-disk 16 MiB guest of <see cref="SnapshotTest"/>, with data written
/// through the disk devices (HMP <c>qemu-io -d</c>, which follows a device to whatever node is on top after a snapshot)
/// or, shut off, into the files the definition names now; data checked offline through each file's backing chain.
/// </summary>
public abstract class ExternalSnapshotTest : SnapshotTest
{
    /// <summary>A disk-only snapshot named <paramref name="name"/>.</summary>
    protected static string DiskOnly(string name) => $"<domainsnapshot><name>{name}</name></domainsnapshot>";

    /// <summary>The folder of the domains' images.</summary>
    protected string Images => Path.Combine(Root, "images");

    /// <summary>The files the domain's disks use now (live definition when running), vda first.</summary>
    protected static string[] ActiveFiles(IVirtDomain domain, DomainXmlFlags flags = DomainXmlFlags.None) =>
        [.. XElement.Parse(domain.GetXmlDescription(flags)).Element("devices")!.Elements("disk").Select(d => (string)d.Element("source")!.Attribute("file")!)];

    /// <summary>Fills the first 64 KiB of both disks with <paramref name="pattern"/>: through the devices while the
    /// domain runs, with qemu-io on the files its definition names while it is off.</summary>
    protected void WriteData(IVirtDomain domain, byte pattern)
    {
        if (domain.IsActive)
        {
            var monitor = SnapshotProbeMonitor.Of(domain);
            SnapshotProbeDisk.Write(monitor, SnapshotProbeDisk.VirtioDevice("virtio-disk0"), pattern, 0, 64 << 10);
            SnapshotProbeDisk.Write(monitor, SnapshotProbeDisk.VirtioDevice("virtio-disk1"), pattern, 0, 64 << 10);
            return;
        }

        foreach (string file in ActiveFiles(domain))
        {
            var (code, output) = Run("qemu-io", "-f", "qcow2", "-c", $"write -P 0x{pattern:x2} 0 64k", file);
            Assert.That(code, Is.EqualTo(0), output);
        }
    }

    /// <summary>The byte the first 64 KiB of <paramref name="file"/> hold (read through its backing chain), or null when mixed.</summary>
    protected static int? DataOf(string file) => SnapshotProbeDisk.Fill(file, 0, 64 << 10);

    /// <summary>The byte the first 64 KiB of each disk hold as the domain's definition names them now.</summary>
    protected static int?[] DataOf(IVirtDomain domain) => [.. ActiveFiles(domain).Select(DataOf)];

    /// <summary>The backing file recorded in an image.</summary>
    protected static string? BackingOf(string file) => QemuImage.GetInfo(file).FullBackingFilename;

    /// <summary>A snapshot of the guest's memory (into <paramref name="file"/>) and of every disk, external.</summary>
    protected static string WithMemory(string name, string file) =>
        $"<domainsnapshot><name>{name}</name><memory snapshot='external' file='{file}'/></domainsnapshot>";

    /// <summary>The NVRAM copy of snapshot <paramref name="snapshot"/> of domain <c>vm</c>.</summary>
    protected string NvramCopy(string snapshot) => Path.Combine(Root, "domains", "vm", "snapshots", snapshot + ".nvram");

    /// <summary>Defines domain <c>vm</c> as <see cref="SnapshotTest.DefineVm"/> does (fresh disks, shut off), but UEFI
    /// (OVMF, q35, 64 MiB): a domain with an NVRAM, so every external snapshot copies it.</summary>
    protected IVirtDomain DefineUefiVm()
    {
        string[] disks = DisksOf();
        Directory.CreateDirectory(Images);
        foreach (string disk in disks)
        {
            QemuImage.Create(disk, 8 << 20);
        }

        return Conn.DefineDomain($"""
            <domain type='qemu'>
              <name>vm</name>
              <memory unit='MiB'>64</memory>
              <os>
                <type arch='x86_64' machine='q35'>hvm</type>
                <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
                <nvram/>
              </os>
              <devices>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disks[0]}'/><target dev='vda' bus='virtio'/><shareable/></disk>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disks[1]}'/><target dev='vdb' bus='virtio'/><shareable/></disk>
              </devices>
            </domain>
            """);
    }

    /// <summary>After a fault: the old or the new set of snapshots, current among them, a known state, and the files of
    /// snapshot <c>a</c> (data 0xaa) intact, with <paramref name="more"/> checked beside them.</summary>
    protected void AssertOldOrNewState(IVirtDomain vm, string[] before, string[] after, Action? more = null)
    {
        string[] names = [.. vm.ListSnapshots().Select(s => s.Name).Order(StringComparer.Ordinal)];
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(before).Or.EqualTo(after), "the old or the new set of snapshots");
            if (vm.HasCurrentSnapshot)
            {
                Assert.That(names, Does.Contain(vm.GetCurrentSnapshot().Name), "current exists");
            }

            Assert.That(vm.GetState().State, Is.AnyOf(DomainState.Running, DomainState.Paused, DomainState.Shutoff));
            Assert.That(DisksOf().Select(DataOf), Is.All.EqualTo(0xaa), "a's files are intact");
            more?.Invoke();
        });
    }

    /// <summary>Asserts the leak and loss check (<see cref="ExternalFileCheck"/>) on the domain and the images folder.</summary>
    protected void CheckFiles(IVirtDomain domain, bool allowLeakedClusters = false) =>
        ExternalFileCheck.Verify(domain, Root, allowLeakedClusters, Images);

}
