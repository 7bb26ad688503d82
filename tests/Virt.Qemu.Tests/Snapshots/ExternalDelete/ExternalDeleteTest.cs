using System.Globalization;
using Virt.Conf;
using Virt.Qemu.Tests.Snapshots.External;

namespace Virt.Qemu.Tests.Snapshots.ExternalDelete;

/// <summary>
/// Base of the external-delete tests: the two-disk domain of <see cref="SnapshotTest"/>, disk-only external snapshots
/// (overlays named as libvirt names them, beside the disks), and data written in 64 KiB slots (slot k at k × 64 KiB)
/// (and flushed) through the guest's own disk devices while it runs or with qemu-io on the active files while it is off; checked
/// offline through the active files the definition names, with <see cref="ExternalFileCheck"/> after every operation.
/// </summary>
public abstract class ExternalDeleteTest : SnapshotTest
{
    private static readonly string[] Devices = ["virtio-disk0", "virtio-disk1"];

    /// <summary>The folder of the disks and overlays.</summary>
    protected string Images => Path.Combine(Root, "images");

    /// <summary>Takes disk-only external snapshot <paramref name="name"/> of both disks.</summary>
    protected IVirtDomainSnapshot TakeExternal(IVirtDomain vm, string name) =>
        vm.CreateSnapshot($"<domainsnapshot><name>{name}</name></domainsnapshot>", SnapshotCreateFlags.DiskOnly);

    /// <summary>Writes <paramref name="pattern"/> into slot <paramref name="slot"/> of both disks.</summary>
    protected void WriteSlot(IVirtDomain vm, int slot, byte pattern)
    {
        string command = string.Create(CultureInfo.InvariantCulture, $"write -P 0x{pattern:x2} {slot * 64}k 64k");
        if (vm.IsActive)
        {
            foreach (string device in Devices)
            {
                // Flushed as a guest flushes what it must keep: a QEMU killed later loses only unflushed writes.
                vm.MonitorCommand($"qemu-io -d /machine/peripheral/{device}/virtio-backend \"{command}\"", MonitorCommandFlags.Hmp);
                vm.MonitorCommand($"qemu-io -d /machine/peripheral/{device}/virtio-backend \"flush\"", MonitorCommandFlags.Hmp);
            }

            return;
        }

        foreach (string file in ActiveFiles(vm))
        {
            var (code, output) = Run("qemu-io", "-f", "qcow2", "-c", command, file);
            Assert.That(code, Is.EqualTo(0), output);
        }
    }

    /// <summary>Whether both disks read <paramref name="pattern"/> in slot <paramref name="slot"/> through the files the
    /// domain's persistent definition names (the domain should be off).</summary>
    protected bool Reads(IVirtDomain vm, int slot, byte pattern) => ActiveFiles(vm).All(file => FileReads(file, slot, pattern));

    /// <summary>Whether <paramref name="file"/>'s chain reads <paramref name="pattern"/> in slot <paramref name="slot"/>.</summary>
    protected static bool FileReads(string file, int slot, byte pattern)
    {
        var (_, output) = Run("qemu-io", "-r", "-U", "-f", FormatOf(file), "-c", string.Create(CultureInfo.InvariantCulture, $"read -P 0x{pattern:x2} {slot * 64}k 64k"), file);
        Assert.That(output, Does.Contain("read 65536/65536").Or.Contain("Pattern verification failed"), output);
        return !output.Contains("Pattern verification failed", StringComparison.Ordinal);
    }

    /// <summary>The files both disks use now (live definition while running, else the persistent one).</summary>
    protected static string[] ActiveFiles(IVirtDomain vm) =>
        [.. DomainDefinition.Parse(vm.GetXmlDescription(vm.IsActive ? DomainXmlFlags.None : DomainXmlFlags.Inactive)).Devices.Disks.Select(d => d.Source!)];

    /// <summary>The leak and loss check.</summary>
    protected void Check(IVirtDomain vm, bool allowLeakedClusters = false) => ExternalFileCheck.Verify(vm, Root, allowLeakedClusters, Images);

    private static string FormatOf(string file) => Virt.Qemu.Images.QemuImage.GetInfo(file).Format;

}
