using System.Diagnostics;
using System.Security.Cryptography;
using Virt.Qemu.Images;
using Virt.Qemu.Tests.Driver;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// Base of the snapshot tests on real QEMU: a 16 MiB guest with no OS (SeaBIOS finds nothing to boot) and two qcow2
/// disks marked shareable, so HMP <c>qemu-io</c> can write patterns into them while QEMU runs (QEMU-FACTS.md). Disk
/// contents are checked offline with <c>qemu-io -r -U</c> and every image with <c>qemu-img check</c>.
/// </summary>
public abstract class SnapshotTest : QemuRootTest
{
    /// <summary>The guest's memory.</summary>
    protected const int MemoryMiB = 16;

    /// <summary>The format nodes of the two disks, as the driver names them.</summary>
    protected static readonly string[] Nodes = ["libvirt-1-format", "libvirt-2-format"];

    /// <summary>The two disk images of domain <paramref name="name"/>.</summary>
    protected string[] DisksOf(string name = "vm") => [Path.Combine(Root, "images", name + "-a.qcow2"), Path.Combine(Root, "images", name + "-b.qcow2")];

    /// <summary>Defines domain <paramref name="name"/> with fresh disks (shut off).</summary>
    protected IVirtDomain DefineVm(string name = "vm", int memoryMiB = MemoryMiB)
    {
        Directory.CreateDirectory(Path.Combine(Root, "images"));
        foreach (string disk in DisksOf(name))
        {
            if (!File.Exists(disk))
            {
                QemuImage.Create(disk, 8 * 1024 * 1024);
            }
        }

        return Conn.DefineDomain(VmXml(name, memoryMiB));
    }

    /// <summary>The definition of domain <paramref name="name"/>, with <paramref name="uuid"/> when given.</summary>
    protected string VmXml(string name = "vm", int memoryMiB = MemoryMiB, Guid? uuid = null)
    {
        string[] disks = DisksOf(name);
        return $"""
            <domain type='qemu'>
              <name>{name}</name>
              {(uuid is { } u ? $"<uuid>{u:D}</uuid>" : string.Empty)}
              <memory unit='MiB'>{memoryMiB}</memory>
              <os><type arch='x86_64'>hvm</type></os>
              <devices>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disks[0]}'/><target dev='vda' bus='virtio'/><shareable/></disk>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disks[1]}'/><target dev='vdb' bus='virtio'/><shareable/></disk>
              </devices>
            </domain>
            """;
    }

    /// <summary>Fills the first 64 KiB of both disks with <paramref name="pattern"/>: through QEMU while the domain runs,
    /// with qemu-io on the images while it is off.</summary>
    protected void Write(IVirtDomain domain, byte pattern)
    {
        if (domain.IsActive)
        {
            foreach (string node in Nodes)
            {
                domain.MonitorCommand($"qemu-io {node} \"write -P 0x{pattern:x2} 0 64k\"", MonitorCommandFlags.Hmp);
            }

            return;
        }

        foreach (string disk in DisksOf(domain.Name))
        {
            string output = QemuIo(disk, $"write -P 0x{pattern:x2} 0 64k", readOnly: false);
            Assert.That(output, Does.Contain("wrote 65536/65536"), output);
        }
    }

    /// <summary>Whether the first 64 KiB of every disk of the domain hold <paramref name="pattern"/> (read from the
    /// image files, so the domain should be off or paused).</summary>
    protected bool Holds(string name, byte pattern) =>
        DisksOf(name).All(disk => !QemuIo(disk, $"read -P 0x{pattern:x2} 0 64k", readOnly: true).Contains("Pattern verification failed", StringComparison.Ordinal));

    /// <summary>The MD5 of the guest's whole RAM, saved with <c>pmemsave</c> (the domain should be paused).</summary>
    protected string Ram(IVirtDomain domain)
    {
        string file = Path.Combine(Root, "ram-" + Guid.NewGuid().ToString("N"));
        string arguments = System.Text.Json.JsonSerializer.Serialize(new { val = 0, size = MemoryMiB * 1024 * 1024, filename = file });
        domain.MonitorCommand("{\"execute\":\"pmemsave\",\"arguments\":" + arguments + "}");
        byte[] hash = MD5.HashData(File.ReadAllBytes(file));
        File.Delete(file);
        return Convert.ToHexString(hash);
    }

    /// <summary>Asserts that <c>qemu-img check</c> finds no errors in any disk of the domain. With
    /// <paramref name="allowLeaks"/>, leaked clusters (exit code 3: "waste of disk space, but no harm to data", what a
    /// QEMU killed after a save leaves, QEMU-FACTS.md section 7) are accepted; corruption never is.</summary>
    protected void AssertImagesClean(string name = "vm", bool allowLeaks = false)
    {
        foreach (string disk in DisksOf(name))
        {
            var (code, output) = Run("qemu-img", "check", "-U", disk);
            Assert.That(code, allowLeaks ? Is.EqualTo(0).Or.EqualTo(3) : Is.EqualTo(0), output);
        }
    }

    /// <summary>The internal snapshot names in an image's own table.</summary>
    protected static string[] Tags(string image) => [.. QemuImage.ListSnapshots(image).Select(s => s.Name)];

    private static string QemuIo(string disk, string command, bool readOnly)
    {
        var args = new List<string> { "-f", "qcow2" };
        if (readOnly)
        {
            args.AddRange(["-r", "-U"]);
        }

        args.AddRange(["-c", command, disk]);
        var (code, output) = Run("qemu-io", [.. args]);
        Assert.That(code, Is.EqualTo(0), output);
        return output;
    }

    /// <summary>Runs a tool (qemu-img, qemu-io...) with an argument array: its exit code and what it printed.</summary>
    internal static (int Code, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
