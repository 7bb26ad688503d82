using Virt.Contract;
using Virt.Drivers;
using Virt.Qemu.Driver;

namespace Virt.Qemu.Tests.Contract;

/// <summary>
/// qemu:///embed for the driver contract suite (tests/Shared/Contract): one root per test assembly run, domains of
/// 64 MiB under TCG with no disks. The defaults of <see cref="ContractTarget"/> are libvirt's QEMU driver.
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
        </domain>
        """;

    public override string? SnapshotsMissing => "QEMU driver snapshots are issue 10 (internal) and issue 11 (external)";
}
