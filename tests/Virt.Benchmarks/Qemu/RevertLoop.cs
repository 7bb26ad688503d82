using System.Globalization;
using static Virt.Benchmarks.Qemu.BenchDomain;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// A quick loop for working on the in-place revert, without libvirtd (whose revert takes seconds): a QEMU driven by raw
/// QMP and a Virt domain of the same definition, each snapshotted once, then reverted ROUNDS times in turn (raw, then
/// Virt), after one uncounted revert of each. Also times create, delete and a state query per round on both sides.
/// Prints the median and spread of each side and the median of the per-round ratios. Run:
/// <c>dotnet tests/Virt.Benchmarks/bin/Release/net10.0/Virt.Benchmarks.dll qemu-revert-loop WORK MIB ROUNDS</c>.
/// </summary>
internal static class RevertLoop
{
    public static void Run(string work, int memoryMiB, int rounds)
    {
        Directory.CreateDirectory(work);
        string rawDisk = Path.Combine(work, "loop-raw.qcow2");
        string virtDisk = Path.Combine(work, "loop-virt.qcow2");
        foreach (string disk in new[] { rawDisk, virtDisk })
        {
            File.Delete(disk);
            using var create = System.Diagnostics.Process.Start("qemu-img", ["create", "-q", "-f", "qcow2", disk, "4G"]);
            create.WaitForExit();
        }

        using var virt = OpenVirt(Path.Combine(work, "loop-root"));
        Forget(virt, "loop");
        using var bare = BareQemu.Launch(work, rawDisk, memoryMiB);
        bare.Qmp.Execute("""{"execute":"cont"}""");
        var domain = virt.DefineDomain(Xml("loop", memoryMiB, virtDisk));
        try
        {
            domain.Start();
            bare.Qmp.RunJob("save0", """{"execute":"snapshot-save","arguments":{"job-id":"save0","tag":"s1","vmstate":"d0","devices":["d0"]}}""");
            var snapshot = domain.CreateSnapshot("<domainsnapshot><name>s1</name></domainsnapshot>");
            var times = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            void Add(string name, double ms) => (times.TryGetValue(name, out var list) ? list : times[name] = []).Add(ms);
            for (int round = -1; round < rounds; round++)
            {
                double raw = Ms(() => RawRevert(bare.Qmp));
                double own = Ms(() => snapshot.Revert());
                if (Trace)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: raw-revert {raw:0.000} ms, virt-revert {own:0.000} ms (wall, around the call)"));
                }

                double rawState = Ms(() => bare.Qmp.Execute("""{"execute":"query-status"}"""));
                double ownState = Ms(() => domain.GetState());
                double rawCreate = Ms(() => bare.Qmp.RunJob("save1", """{"execute":"snapshot-save","arguments":{"job-id":"save1","tag":"t","vmstate":"d0","devices":["d0"]}}"""));
                IVirtDomainSnapshot? extra = null;
                double ownCreate = Ms(() => extra = domain.CreateSnapshot("<domainsnapshot><name>t</name></domainsnapshot>"));
                double rawDelete = Ms(() => bare.Qmp.RunJob("del1", """{"execute":"snapshot-delete","arguments":{"job-id":"del1","tag":"t","devices":["d0"]}}"""));
                double ownDelete = Ms(() => extra!.Delete());
                if (round < 0)
                {
                    continue;
                }

                Add("raw-revert", raw);
                Add("virt-revert", own);
                Add("revert-ratio", own / raw);
                Add("raw-state", rawState);
                Add("virt-state", ownState);
                Add("raw-create", rawCreate);
                Add("virt-create", ownCreate);
                Add("create-ratio", ownCreate / rawCreate);
                Add("raw-delete", rawDelete);
                Add("virt-delete", ownDelete);
                Add("delete-ratio", ownDelete / rawDelete);
            }

            foreach (var (name, list) in times)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-14} median {MedianOf(list),8:0.###} (spread {list.Min():0.###}-{list.Max():0.###})"));
            }

        }
        finally
        {
            Forget(virt, "loop");
        }
    }

    private static readonly bool Trace = Environment.GetEnvironmentVariable("VIRT_TRACE_STEPS") == "1";

    /// <summary>The raw sequence; with VIRT_TRACE_STEPS=1 its steps are written to standard error as Virt's trace writes its own.</summary>
    private static void RawRevert(RawQmp raw)
    {
        double stop = Ms(() => raw.Execute("""{"execute":"stop"}"""));
        double load = Ms(() => raw.RunJob("load1", """{"execute":"snapshot-load","arguments":{"job-id":"load1","tag":"s1","vmstate":"d0","devices":["d0"]}}"""));
        double cont = Ms(() => raw.Execute("""{"execute":"cont"}"""));
        if (Trace)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trace raw-revert {stop + load + cont:0.000} ms: stop={stop:0.000} load-job={load:0.000} cont={cont:0.000}"));
        }
    }
}
