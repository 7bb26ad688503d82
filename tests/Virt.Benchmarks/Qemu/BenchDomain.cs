using System.Globalization;
using Virt.Drivers;
using Virt.Qemu.Driver;
using Virt.Remote;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// The one VM definition of the QEMU comparisons, given to Virt (qemu:///embed) and to libvirt 9.0 alike: TCG, pc
/// machine, the memory, one qcow2 disk on virtio, no guest OS (SeaBIOS finds nothing to boot and idles). Also the two
/// connections and the timing helpers the comparisons share.
/// </summary>
internal static class BenchDomain
{
    public static string Xml(string name, int memoryMiB, string? disk) => $"""
        <domain type='qemu'>
          <name>{name}</name>
          <memory unit='MiB'>{memoryMiB}</memory>
          <os><type arch='x86_64' machine='pc'>hvm</type></os>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            {(disk is null ? "" : $"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disk}'/><target dev='vda' bus='virtio'/></disk>")}
          </devices>
        </domain>
        """;

    /// <summary>Virt's own driver on a root folder, in this process.</summary>
    public static IVirtConnection OpenVirt(string root)
    {
        var registry = new VirtDriverRegistry();
        QemuDriver.Register(registry);
        return VirtConnection.Open("qemu:///embed?root=" + root, new VirtConnectionOptions { Registry = registry });
    }

    /// <summary>libvirt 9.0's daemon through Virt.Remote (libvirt's RPC, nothing added but the client's encoding).</summary>
    public static IVirtConnection OpenLibvirt(string uri)
    {
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry);
        return VirtConnection.Open(uri, new VirtConnectionOptions { Registry = registry });
    }

    /// <summary>Removes a domain of that name left by an interrupted run (destroy, snapshots' metadata, undefine).</summary>
    public static void Forget(IVirtConnection conn, string name)
    {
        var domain = conn.ListAllDomains().FirstOrDefault(d => d.Name == name);
        if (domain is null)
        {
            return;
        }

        if (domain.IsActive)
        {
            domain.Destroy();
        }

        domain.Undefine(DomainUndefineFlags.SnapshotsMetadata);
    }

    /// <summary>Milliseconds that <paramref name="action"/> took.</summary>
    public static double Ms(Action action)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        action();
        return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>One result line for the scripts: name and value.</summary>
    public static void Print(string name, double value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###}"));

    /// <summary>A result the Virt side cannot give (the driver lacks the operation): the scripts print it as such.</summary>
    public static void PrintUnsupported(string name, VirtException ex) => Console.WriteLine($"{name} unsupported: {ex.Message}");
}
