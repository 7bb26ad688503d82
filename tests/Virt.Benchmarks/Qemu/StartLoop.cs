using System.Globalization;
using static Virt.Benchmarks.Qemu.BenchDomain;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// A quick loop for working on the start, without libvirtd: ROUNDS times in turn, a bare QEMU launched to QMP-ready and
/// Virt's define + start of the same 64 MiB definition to running (then destroyed and undefined, uncounted), after one
/// uncounted round. Prints the median and spread of each and the median of the per-round ratios. Run:
/// <c>dotnet tests/Virt.Benchmarks/bin/Release/net10.0/Virt.Benchmarks.dll qemu-start-loop WORK ROUNDS</c>.
/// </summary>
internal static class StartLoop
{
    public static void Run(string work, int rounds)
    {
        Directory.CreateDirectory(work);
        string disk = Path.Combine(work, "start-loop.qcow2");
        File.Delete(disk);
        using (var create = System.Diagnostics.Process.Start("qemu-img", ["create", "-q", "-f", "qcow2", disk, "4G"]))
        {
            create.WaitForExit();
        }

        using var virt = OpenVirt(Path.Combine(work, "start-root"));
        Forget(virt, "start-loop");
        var times = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string name, double ms) => (times.TryGetValue(name, out var list) ? list : times[name] = []).Add(ms);
        for (int round = -1; round < rounds; round++)
        {
            BareQemu? bare = null;
            double raw = Ms(() => bare = BareQemu.Launch(work, disk, 64));
            bare!.Dispose();
            IVirtDomain domain = null!;
            double own = Ms(() =>
            {
                domain = virt.DefineDomain(Xml("start-loop", 64, disk));
                domain.Start();
            });
            double destroy = Ms(() => domain.Destroy());
            domain.Undefine();
            if (round >= 0)
            {
                Add("bare-launch", raw);
                Add("virt-start", own);
                Add("start-ratio", own / raw);
                Add("virt-destroy", destroy);
            }
        }

        foreach (var (name, list) in times)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-14} median {MedianOf(list),8:0.###} (spread {list.Min():0.###}-{list.Max():0.###})"));
        }

    }
}
