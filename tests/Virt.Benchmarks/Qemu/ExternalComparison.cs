using System.Diagnostics;
using static Virt.Benchmarks.Qemu.BenchDomain;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// scripts/compare-qemu-external.sh's in-process part, one round at one memory size (issue 11 item 6): a running VM of
/// <see cref="BenchDomain"/>'s definition on each side, a QEMU started here and driven by raw QMP (QEMU-FACTS sections
/// 3-5) and Virt's qemu:///embed (in this process). Measured, in this order:
/// <list type="bullet">
/// <item>internal revert (Virt, the same VM, before it has external snapshots): a snapshot "i" taken, reverted to once
/// uncounted, then once timed, then deleted;</item>
/// <item>external disk-only create: raw <c>blockdev-snapshot-sync</c> vs Virt's CreateSnapshot(DiskOnly) (virsh is timed
/// by the script);</item>
/// <item>external revert to that disk-only snapshot with RUNNING (fresh overlay, a new QEMU that boots; the second of
/// two, the first uncounted);</item>
/// <item>external memory snapshot create: raw stop, getfd, migrate fd:, MIGRATION completed, fsync, blockdev-snapshot-sync,
/// cont vs Virt's CreateSnapshot with <c>&lt;memory snapshot='external'/&gt;</c>;</item>
/// <item>external revert to it (running): raw qemu-img create of a fresh overlay, quit, a new QEMU with -S -incoming defer,
/// events on, getfd, migrate-incoming fd:, MIGRATION completed, cont vs Virt's Revert (the second of two, the first
/// uncounted).</item>
/// </list>
/// A Virt operation the driver does not have yet is printed "unsupported" with its message.
/// </summary>
internal static class ExternalComparison
{
    public static void Run(string work, int memoryMiB, int round)
    {
        string tag = "-" + memoryMiB + "-" + round;
        string folder = Path.Combine(work, "ext" + tag);
        Directory.CreateDirectory(folder);
        string rawDisk = Path.Combine(folder, "raw.qcow2");
        string virtDisk = Path.Combine(folder, "virt.qcow2");
        QemuImg("create", "-q", "-f", "qcow2", rawDisk, "4G");
        QemuImg("create", "-q", "-f", "qcow2", virtDisk, "4G");
        using var virt = OpenVirt(Path.Combine(work, "root"));
        string name = "ext-virt" + tag;
        Forget(virt, name);
        var domain = virt.DefineDomain(Xml(name, memoryMiB, virtDisk));
        try
        {
            domain.Start();
            RawSide(folder, rawDisk, memoryMiB);
            VirtSide(domain, folder);
        }
        finally
        {
            Forget(virt, name);
        }
    }

    private static void RawSide(string folder, string disk, int memoryMiB)
    {
        var bare = BareQemu.Launch(folder, disk, memoryMiB);
        try
        {
            bare.Qmp.Execute("""{"execute":"cont"}""");
            bare.Qmp.Execute("""{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"events","state":true}]}}""");
            bare.Qmp.Execute("""{"execute":"migrate-set-parameters","arguments":{"max-bandwidth":1099511627776}}""");
            Print("raw-diskonly-ms", Ms(() => Overlay(bare.Qmp, "d0", Path.Combine(folder, "raw-d1.qcow2"), "o1")));

            string memory = Path.Combine(folder, "raw-m1.mem");
            string frozen = Path.Combine(folder, "raw-d1.qcow2");
            Print("raw-memcreate-ms", Ms(() =>
            {
                bare.Qmp.Execute("""{"execute":"stop"}""");
                using (var file = new FileStream(memory, FileMode.CreateNew, FileAccess.Write))
                {
                    bare.Qmp.ExecuteWithFd("""{"execute":"getfd","arguments":{"fdname":"m"}}""", file.SafeFileHandle);
                    bare.Qmp.Execute("""{"execute":"migrate","arguments":{"uri":"fd:m"}}""");
                    Expect(bare.Qmp.WaitForStatusEvent("MIGRATION", "completed", "failed", "cancelled"), "completed");
                    file.Flush(flushToDisk: true);
                }

                Overlay(bare.Qmp, "o1", Path.Combine(folder, "raw-m1.qcow2"), "o2");
                bare.Qmp.Execute("""{"execute":"cont"}""");
            }));

            Print("raw-memrevert-ms", Ms(() =>
            {
                string fresh = Path.Combine(folder, "raw-r" + Environment.TickCount64 + ".qcow2");
                QemuImg("create", "-q", "-f", "qcow2", "-b", frozen, "-F", "qcow2", fresh);
                bare.Dispose();
                bare = BareQemu.Launch(folder, fresh, memoryMiB, incoming: true);
                bare.Qmp.Execute("""{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"events","state":true}]}}""");
                using (var file = File.OpenHandle(memory, FileMode.Open, FileAccess.Read))
                {
                    bare.Qmp.ExecuteWithFd("""{"execute":"getfd","arguments":{"fdname":"m"}}""", file);
                    bare.Qmp.Execute("""{"execute":"migrate-incoming","arguments":{"uri":"fd:m"}}""");
                    Expect(bare.Qmp.WaitForStatusEvent("MIGRATION", "completed", "failed"), "completed");
                }

                bare.Qmp.Execute("""{"execute":"cont"}""");
            }));
        }
        finally
        {
            bare.Dispose();
        }
    }

    private static void VirtSide(IVirtDomain domain, string folder)
    {
        // Internal first: a revert to an internal snapshot held in a file an external snapshot froze is refused.
        var internalSnapshot = domain.CreateSnapshot("<domainsnapshot><name>i</name></domainsnapshot>");
        internalSnapshot.Revert();
        Print("virt-intrevert-ms", Ms(() => internalSnapshot.Revert()));
        ExpectRunning(domain);
        internalSnapshot.Delete();

        IVirtDomainSnapshot? diskOnly = null;
        try
        {
            Print("virt-diskonly-ms", Ms(() => diskOnly = domain.CreateSnapshot("<domainsnapshot><name>d1</name></domainsnapshot>", SnapshotCreateFlags.DiskOnly)));
            diskOnly!.Revert(SnapshotRevertFlags.Running);
            ExpectRunning(domain);
            Print("virt-diskrevert-ms", Ms(() => diskOnly.Revert(SnapshotRevertFlags.Running)));
            ExpectRunning(domain);
        }
        catch (VirtException ex) when (IsUnsupported(ex))
        {
            PrintUnsupported(diskOnly is null ? "virt-diskonly-ms" : "virt-diskrevert-ms", ex);
        }

        string memory = Path.Combine(folder, "virt-m1.mem");
        IVirtDomainSnapshot? withMemory = null;
        try
        {
            Print("virt-memcreate-ms", Ms(() => withMemory = domain.CreateSnapshot(
                $"<domainsnapshot><name>m1</name><memory snapshot='external' file='{memory}'/><disks><disk name='vda' snapshot='external'/></disks></domainsnapshot>")));
        }
        catch (VirtException ex) when (IsUnsupported(ex))
        {
            PrintUnsupported("virt-memcreate-ms", ex);
            PrintUnsupported("virt-memrevert-ms", ex);
            return;
        }

        try
        {
            withMemory!.Revert();
            ExpectRunning(domain);
            Print("virt-memrevert-ms", Ms(() => withMemory.Revert()));
            ExpectRunning(domain);
        }
        catch (VirtException ex) when (IsUnsupported(ex))
        {
            PrintUnsupported("virt-memrevert-ms", ex);
        }
    }

    /// <summary>An overlay on top of <paramref name="node"/>, created by QEMU (QEMU-FACTS section 3).</summary>
    private static void Overlay(RawQmp qmp, string node, string file, string overlayNode) =>
        qmp.Execute($$$"""{"execute":"blockdev-snapshot-sync","arguments":{"node-name":"{{{node}}}","snapshot-file":"{{{file}}}","snapshot-node-name":"{{{overlayNode}}}","format":"qcow2"}}""");

    private static void QemuImg(params string[] args)
    {
        var start = new ProcessStartInfo("qemu-img") { UseShellExecute = false, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("qemu-img " + string.Join(' ', args) + ": " + error);
        }
    }

    private static void Expect(string status, string expected)
    {
        if (status != expected)
        {
            throw new InvalidOperationException($"migration ended '{status}', not '{expected}'");
        }
    }

    private static void ExpectRunning(IVirtDomain domain)
    {
        if (domain.GetState().State != DomainState.Running)
        {
            throw new InvalidOperationException($"{domain.Name} is not running after the revert");
        }
    }

    private static bool IsUnsupported(VirtException ex) =>
        ex.Code is VirtErrorCode.NoSupport or VirtErrorCode.OperationUnsupported or VirtErrorCode.ArgumentUnsupported or VirtErrorCode.ConfigUnsupported;
}
