using Virt.Contract;
using Virt.Drivers;
using Virt.Qemu.Driver;
using Virt.Qemu.Images;

namespace Virt.Qemu.Tests.Contract;

/// <summary>
/// qemu:///embed for the driver contract suite (tests/Shared/Contract): one root per test assembly run, domains of
/// 64 MiB under TCG with one small qcow2 disk each (libvirt's QEMU driver refuses a snapshot that selects nothing, so
/// a domain without disks could not take the suite's snapshots). The defaults of <see cref="ContractTarget"/> are
/// libvirt's QEMU driver.
/// </summary>
internal sealed class QemuEmbedTarget : ContractTarget
{
    private static readonly Lazy<string> SharedRoot = new(() => Directory.CreateTempSubdirectory("virt-contract-").FullName);
    private readonly VirtDriverRegistry _registry = new();

    public QemuEmbedTarget() => QemuDriver.Register(_registry);

    public static string Root => SharedRoot.Value;

    public override IVirtConnection Open() =>
        VirtConnection.Open("qemu:///embed?root=" + Root, new VirtConnectionOptions { Registry = _registry });

    public override string DomainXml(string name, Guid? uuid = null, long memoryKiB = 65536) => $"""
        <domain type='qemu'>
          <name>{name}</name>
          {(uuid is { } u ? $"<uuid>{u:D}</uuid>" : string.Empty)}
          <memory unit='KiB'>{memoryKiB}</memory>
          <os><type arch='x86_64'>hvm</type></os>
          <devices>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source file='{DiskOf(name)}'/>
              <target dev='vda' bus='virtio'/>
            </disk>
          </devices>
        </domain>
        """;

    /// <summary>The domain's disk image, created (1 MiB, qcow2) the first time a definition names it.</summary>
    private static string DiskOf(string name)
    {
        string folder = Path.Combine(Root, "images");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name + ".qcow2");
        if (!File.Exists(path))
        {
            QemuImage.Create(path, 1024 * 1024);
        }

        return path;
    }
}
