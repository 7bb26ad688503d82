using static Virt.Benchmarks.Qemu.BenchDomain;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// scripts/compare-qemu-snapshots.sh's in-process part, one round at one memory size: three running VMs of the same
/// definition (a QEMU started here and driven by raw QMP, Virt's qemu:///embed, libvirt 9.0's daemon through
/// Virt.Remote), each snapshotted once live (internal: vmstate and disk in the qcow2 image), reverted REVERTS times in
/// turn while running, and the snapshot deleted. The raw reference is QEMU-FACTS section 1: snapshot-save job;
/// stop + snapshot-load job + cont; snapshot-delete job (each job waited to "concluded", checked and dismissed). A second
/// raw revert is the snapshot-load job alone on the running VM (QEMU's job stops and resumes the vCPUs itself), what
/// Virt sends for a guest that runs on.
/// Prints create, the median revert and delete, per side, each after an uncounted warm-up on the .NET sides; a Virt operation the driver lacks is printed "unsupported".
/// </summary>
internal static class SnapshotComparison
{
    private const string SnapshotXml = "<domainsnapshot><name>s1</name></domainsnapshot>";

    public static void Run(string work, string libvirtUri, int memoryMiB, int reverts)
    {
        string suffix = "-" + memoryMiB;
        using var virt = OpenVirt(Path.Combine(work, "root"));
        using var libvirt = OpenLibvirt(libvirtUri);
        Forget(virt, "snap-virt" + suffix);
        Forget(libvirt, "snap-libvirt" + suffix);
        using var bare = BareQemu.Launch(work, Path.Combine(work, "bare-snap.qcow2"), memoryMiB);
        bare.Qmp.Execute("""{"execute":"cont"}""");
        var virtDomain = virt.DefineDomain(Xml("snap-virt" + suffix, memoryMiB, Path.Combine(work, "virt-snap.qcow2")));
        var libvirtDomain = libvirt.DefineDomain(Xml("snap-libvirt" + suffix, memoryMiB, Path.Combine(work, "libvirt-snap.qcow2")));
        try
        {
            virtDomain.Start();
            libvirtDomain.Start();
            Compare(bare.Qmp, virtDomain, libvirtDomain, reverts);
        }
        finally
        {
            Forget(virt, virtDomain.Name);
            Forget(libvirt, libvirtDomain.Name);
        }
    }

    private static void Compare(RawQmp raw, IVirtDomain virt, IVirtDomain libvirt, int reverts)
    {
        WarmUp(raw, virt);
        Print("raw-create-ms", Ms(() => raw.RunJob("save1", """{"execute":"snapshot-save","arguments":{"job-id":"save1","tag":"s1","vmstate":"d0","devices":["d0"]}}""")));
        IVirtDomainSnapshot? virtSnapshot = null;
        VirtException? virtMissing = null;
        try
        {
            Print("virt-create-ms", Ms(() => virtSnapshot = virt.CreateSnapshot(SnapshotXml)));
        }
        catch (VirtException ex) when (IsUnsupported(ex))
        {
            virtMissing = ex;
            PrintUnsupported("virt-create-ms", ex);
        }

        IVirtDomainSnapshot libvirtSnapshot = null!;
        Print("libvirt-create-ms", Ms(() => libvirtSnapshot = libvirt.CreateSnapshot(SnapshotXml)));

        var rawTimes = new List<double>();
        var rawLoadTimes = new List<double>();
        var virtTimes = new List<double>();
        var libvirtTimes = new List<double>();
        VirtException? revertMissing = virtMissing;
        for (int i = -1; i < reverts; i++)
        {
            // Round -1 warms up this process's code paths (JIT) for the two .NET sides and is not counted; libvirt's
            // work is in its daemon, so it is not repeated there.
            bool counted = i >= 0;
            double rawTime = Ms(() => RawRevert(raw));
            double rawLoadTime = Ms(() => raw.RunJob("load2", LoadJob("load2")));
            if (counted)
            {
                rawTimes.Add(rawTime);
                rawLoadTimes.Add(rawLoadTime);
            }

            if (virtSnapshot is not null && revertMissing is null)
            {
                try
                {
                    double virtTime = Ms(() => virtSnapshot.Revert());
                    ExpectRunning(virt);
                    if (counted)
                    {
                        virtTimes.Add(virtTime);
                    }
                }
                catch (VirtException ex) when (IsUnsupported(ex))
                {
                    revertMissing = ex;
                }
            }

            if (counted)
            {
                libvirtTimes.Add(Ms(() => libvirtSnapshot.Revert()));
                ExpectRunning(libvirt);
            }
        }

        Print("raw-revert-ms", MedianOf(rawTimes));
        Print("rawload-revert-ms", MedianOf(rawLoadTimes));
        PrintOrUnsupported("virt-revert-ms", virtTimes, revertMissing);
        Print("libvirt-revert-ms", MedianOf(libvirtTimes));

        Print("raw-delete-ms", Ms(() => raw.RunJob("del1", """{"execute":"snapshot-delete","arguments":{"job-id":"del1","tag":"s1","devices":["d0"]}}""")));
        if (virtSnapshot is not null)
        {
            try
            {
                Print("virt-delete-ms", Ms(() => virtSnapshot.Delete()));
            }
            catch (VirtException ex) when (IsUnsupported(ex))
            {
                PrintUnsupported("virt-delete-ms", ex);
            }
        }
        else
        {
            PrintUnsupported("virt-delete-ms", virtMissing!);
        }

        Print("libvirt-delete-ms", Ms(() => libvirtSnapshot.Delete()));
    }

    /// <summary>
    /// A snapshot "w" created and deleted, uncounted, on the two .NET sides, so that the timed create and delete measure
    /// the operations rather than this process's first JIT of their code paths (a harness does thousands of them).
    /// </summary>
    private static void WarmUp(RawQmp raw, IVirtDomain virt)
    {
        raw.RunJob("warm1", """{"execute":"snapshot-save","arguments":{"job-id":"warm1","tag":"w","vmstate":"d0","devices":["d0"]}}""");
        raw.RunJob("warm2", """{"execute":"snapshot-delete","arguments":{"job-id":"warm2","tag":"w","devices":["d0"]}}""");
        try
        {
            virt.CreateSnapshot("<domainsnapshot><name>w</name></domainsnapshot>").Delete();
        }
        catch (VirtException ex) when (IsUnsupported(ex))
        {
            // Reported by the timed create that follows.
        }
    }

    private static void RawRevert(RawQmp raw)
    {
        raw.Execute("""{"execute":"stop"}""");
        raw.RunJob("load1", LoadJob("load1"));
        raw.Execute("""{"execute":"cont"}""");
    }

    private static string LoadJob(string id) =>
        "{\"execute\":\"snapshot-load\",\"arguments\":{\"job-id\":\"" + id + "\",\"tag\":\"s1\",\"vmstate\":\"d0\",\"devices\":[\"d0\"]}}";

    private static void PrintOrUnsupported(string name, List<double> times, VirtException? missing)
    {
        if (times.Count > 0 && missing is null)
        {
            Print(name, MedianOf(times));
        }
        else
        {
            PrintUnsupported(name, missing!);  // the create's error when there was no snapshot to revert
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
        ex.Code is VirtErrorCode.NoSupport or VirtErrorCode.OperationUnsupported or VirtErrorCode.ArgumentUnsupported;
}
