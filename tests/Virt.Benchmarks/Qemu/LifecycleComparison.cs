using static Virt.Benchmarks.Qemu.BenchDomain;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// scripts/compare-qemu-libvirtd.sh's in-process part, one round: REPS times in turn (after one uncounted time, the
/// process's JIT warm-up), a bare QEMU launch to QMP-ready,
/// then the same 64 MiB definition defined and started to running, its state queried STATECALLS times and destroyed,
/// by Virt (qemu:///embed, this process) and by libvirt 9.0's daemon (through Virt.Remote); then opening a root with
/// 100 defined domains and listing them (a new connection each time). Prints each measurement's median over the REPS.
/// </summary>
internal static class LifecycleComparison
{
    private const int MemoryMiB = 64;

    public static void Run(string work, string libvirtUri, int reps, int stateCalls)
    {
        string virtRoot = Path.Combine(work, "root");
        var results = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string name, double value)
        {
            if (!results.TryGetValue(name, out var list))
            {
                results[name] = list = [];
            }

            list.Add(value);
        }

        using (var virt = OpenVirt(virtRoot))
        using (var libvirt = OpenLibvirt(libvirtUri))
        {
            Forget(virt, "bench-virt");
            Forget(libvirt, "bench-libvirt");
            // Rep -1 is not counted: the first define + start in a process is mostly the JIT compiling its path, as the
            // first open + list below and the first revert of the snapshot comparison are.
            for (int rep = -1; rep < reps; rep++)
            {
                Action<string, double> add = rep < 0 ? (_, _) => { } : Add;
                BareQemu? bare = null;
                add("bare-qemu-qmp-ready-ms", Ms(() => bare = BareQemu.Launch(work, Path.Combine(work, "bare.qcow2"), MemoryMiB)));
                bare!.Dispose();

                Measure(virt, "virt", Xml("bench-virt", MemoryMiB, Path.Combine(work, "virt.qcow2")), stateCalls, add);
                Measure(libvirt, "libvirt", Xml("bench-libvirt", MemoryMiB, Path.Combine(work, "libvirt.qcow2")), stateCalls, add);
            }
        }

        // One uncounted open + list per side first, as the snapshot comparison does: the first in a process is mostly the
        // JIT compiling the list path (13-15 ms measured, then 2-5 ms, then 1.2-1.7 ms); a new process each time is the
        // `virt list --all` row.
        OpenAndList(() => OpenVirt(Path.Combine(work, "root100")));
        OpenAndList(() => OpenLibvirt(libvirtUri));
        for (int rep = 0; rep < reps; rep++)
        {
            Add("virt-open-list-100-ms", Ms(() => OpenAndList(() => OpenVirt(Path.Combine(work, "root100")))));
            Add("libvirt-open-list-100-ms", Ms(() => OpenAndList(() => OpenLibvirt(libvirtUri))));
        }

        foreach (var (name, values) in results)
        {
            Print(name, MedianOf(values));
        }
    }

    private static void Measure(IVirtConnection conn, string side, string xml, int stateCalls, Action<string, double> add)
    {
        IVirtDomain domain = null!;
        add(side + "-define-start-ms", Ms(() =>
        {
            domain = conn.DefineDomain(xml);
            domain.Start();
        }));
        if (domain.GetState().State != DomainState.Running)
        {
            throw new InvalidOperationException($"{side}: the domain is not running after start");
        }

        add(side + "-getstate-us", Ms(() =>
        {
            for (int i = 0; i < stateCalls; i++)
            {
                domain.GetState();
            }
        }) * 1000 / stateCalls);
        add(side + "-destroy-ms", Ms(() => domain.Destroy()));
        domain.Undefine();
    }

    private static void OpenAndList(Func<IVirtConnection> open)
    {
        using var conn = open();
        if (conn.ListAllDomains().Count(d => d.Name.StartsWith("h", StringComparison.Ordinal)) != 100)
        {
            throw new InvalidOperationException($"{conn.Uri} does not list the 100 domains");
        }
    }
}
