using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

if (args is ["remote-roundtrips", var host, var port, var calls])
{
    // scripts/bench-remote.sh: a timed loop beside virsh processes, not a BenchmarkDotNet run.
    Virt.Benchmarks.Remote.RemoteRoundTrips.Run(host, int.Parse(port, CultureInfo.InvariantCulture), int.Parse(calls, CultureInfo.InvariantCulture));
    return;
}

if (args is ["remote-profile", var profileHost, var profilePort, var profileCalls, var loop])
{
    // Finding where Virt.Remote's time goes: one loop alone (for strace -c -f) with its allocations per call.
    Virt.Benchmarks.Remote.RemoteRoundTrips.Profile(profileHost, int.Parse(profilePort, CultureInfo.InvariantCulture), int.Parse(profileCalls, CultureInfo.InvariantCulture), loop);
    return;
}

if (args is ["qemu-lifecycle", var work, var uri, var reps, var stateCalls])
{
    // scripts/compare-qemu-libvirtd.sh: one round of Virt vs libvirt 9.0's daemon vs a bare QEMU.
    Virt.Benchmarks.Qemu.LifecycleComparison.Run(work, uri, int.Parse(reps, CultureInfo.InvariantCulture), int.Parse(stateCalls, CultureInfo.InvariantCulture));
    return;
}

if (args is ["qemu-snapshots", var snapWork, var snapUri, var memoryMiB, var reverts])
{
    // scripts/compare-qemu-snapshots.sh: one round of internal snapshots, Virt vs raw QMP vs libvirt 9.0's daemon.
    Virt.Benchmarks.Qemu.SnapshotComparison.Run(snapWork, snapUri, int.Parse(memoryMiB, CultureInfo.InvariantCulture), int.Parse(reverts, CultureInfo.InvariantCulture));
    return;
}

if (args is ["qemu-revert-loop", var loopWork, var loopMemoryMiB, var loopRounds])
{
    // Working on the in-place revert: Virt vs raw QMP only, many rounds, no libvirtd.
    Virt.Benchmarks.Qemu.RevertLoop.Run(loopWork, int.Parse(loopMemoryMiB, CultureInfo.InvariantCulture), int.Parse(loopRounds, CultureInfo.InvariantCulture));
    return;
}

if (args is ["qmp-roundtrip-loop", var rtCalls, var rtRounds])
{
    // Working on the QMP client's round trip: query-status through QmpClient vs a raw socket loop, same QEMU.
    Virt.Benchmarks.Qmp.RoundTripLoop.Run(int.Parse(rtCalls, CultureInfo.InvariantCulture), int.Parse(rtRounds, CultureInfo.InvariantCulture));
    return;
}

if (args is ["qemu-start-loop", var startWork, var startRounds])
{
    // Working on the start: Virt's define + start vs a bare QEMU launch, no libvirtd.
    Virt.Benchmarks.Qemu.StartLoop.Run(startWork, int.Parse(startRounds, CultureInfo.InvariantCulture));
    return;
}

if (args is ["qemu-start-steps", var stepsWork, var stepsRounds])
{
    // Working on the start: the time of each of its steps.
    Virt.Benchmarks.Qemu.StartSteps.Run(stepsWork, int.Parse(stepsRounds, CultureInfo.InvariantCulture));
    return;
}

if (args is ["qemu-job-loop", var jobWork, var jobCount, var jobRounds])
{
    // Working on the domain job lock that every changing call takes: take + release alone.
    Virt.Benchmarks.Qemu.JobLoop.Run(jobWork, int.Parse(jobCount, CultureInfo.InvariantCulture), int.Parse(jobRounds, CultureInfo.InvariantCulture));
    return;
}

if (args is ["qemu-open-list", var listRoot, var listCount, var listRounds])
{
    // Working on the open + list row: a root with COUNT domains opened and listed ROUNDS times, no libvirtd.
    Virt.Benchmarks.Qemu.OpenListLoop.Run(listRoot, int.Parse(listCount, CultureInfo.InvariantCulture), int.Parse(listRounds, CultureInfo.InvariantCulture));
    return;
}

if (args is ["qemu-external", var extWork, var extMemoryMiB, var extRound])
{
    // scripts/compare-qemu-external.sh: one round of external snapshots, Virt vs raw QMP.
    Virt.Benchmarks.Qemu.ExternalComparison.Run(extWork, int.Parse(extMemoryMiB, CultureInfo.InvariantCulture), int.Parse(extRound, CultureInfo.InvariantCulture));
    return;
}

// `--rounds N` runs the selected benchmarks N times (each a full BenchmarkDotNet run with its own processes) and
// prints, per benchmark, the median of the N per-round ratios to its category's baseline with their spread:
// on a shared, noisy machine one run's ratio is not a result.
int rounds = 1;
int at = Array.IndexOf(args, "--rounds");
if (at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
{
    rounds = n;
    args = [.. args[..at], .. args[(at + 2)..]];
}

var switcher = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly);
if (rounds == 1)
{
    switcher.Run(args);
    return;
}

var ratios = new Dictionary<string, List<(double Ratio, double Mean)>>(StringComparer.Ordinal);
for (int round = 1; round <= rounds; round++)
{
    foreach (var summary in switcher.Run(args))
    {
        foreach (var report in summary.Reports)
        {
            var baseline = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline
                && r.BenchmarkCase.Descriptor.Categories.SequenceEqual(report.BenchmarkCase.Descriptor.Categories));
            if (report.ResultStatistics is not { } stats || baseline?.ResultStatistics is not { } baseStats)
            {
                continue;
            }

            string name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo;
            if (!ratios.TryGetValue(name, out var list))
            {
                ratios[name] = list = [];
            }

            list.Add((stats.Median / baseStats.Median, stats.Median));
        }
    }
}

Console.WriteLine();
Console.WriteLine($"Median over {rounds} rounds (each ratio is that round's median time / its baseline's):");
foreach (var (name, list) in ratios)
{
    var r = list.Select(x => x.Ratio).Order().ToArray();
    var t = list.Select(x => x.Mean).Order().ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name,-50} time {Median(t) / 1000:0.###} µs ({t[0] / 1000:0.###}–{t[^1] / 1000:0.###})   ratio {Median(r):0.###} ({r[0]:0.###}–{r[^1]:0.###})"));
}

static double Median(double[] sorted) => sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
