using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Virt.Drivers;
using Virt.Qemu.Driver;
using Virt.Qemu.Driver.State;
using static Virt.Benchmarks.Qemu.BenchDomain;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// Where a define + start spends its time: the driver is built directly with a step hook that stamps every step it
/// passes (define:*, start:*, launch:*), ROUNDS times after one uncounted round, with a bare QEMU launch to QMP-ready
/// before each for scale. Prints per step the median milliseconds since the step before, then both totals. Run:
/// <c>dotnet tests/Virt.Benchmarks/bin/Release/net10.0/Virt.Benchmarks.dll qemu-start-steps WORK ROUNDS</c>.
/// </summary>
internal static class StartSteps
{
    public static void Run(string work, int rounds)
    {
        Directory.CreateDirectory(work);
        string disk = Path.Combine(work, "start-steps.qcow2");
        File.Delete(disk);
        using (var create = Process.Start("qemu-img", ["create", "-q", "-f", "qcow2", disk, "4G"]))
        {
            create.WaitForExit();
        }

        string root = Path.Combine(work, "steps-root");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var steps = new List<(string Name, long At)>();
        var driver = new QemuDomainDriver(StateRoot.Embed(root), NullLoggerFactory.Instance)
        {
            Step = name => steps.Add((name, Stopwatch.GetTimestamp())),
        };
        var order = new List<string>();
        var times = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string name, double ms)
        {
            if (!times.TryGetValue(name, out var list))
            {
                times[name] = list = [];
                order.Add(name);
            }

            list.Add(ms);
        }

        for (int round = -1; round < rounds; round++)
        {
            BareQemu? bare = null;
            double raw = Ms(() => bare = BareQemu.Launch(work, disk, 64));
            bare!.Dispose();
            steps.Clear();
            long start = Stopwatch.GetTimestamp();
            var domain = driver.DefineDomain(Xml("start-steps", 64, disk), DomainDefineFlags.None);
            driver.StartDomain(domain, DomainStartFlags.None, CancellationToken.None);
            long end = Stopwatch.GetTimestamp();
            driver.DestroyDomain(domain, DomainDestroyFlags.Default);
            driver.UndefineDomain(domain, DomainUndefineFlags.None);
            if (round < 0)
            {
                continue;
            }

            long before = start;
            foreach (var (name, at) in steps.Where(s => s.At <= end))
            {
                Add(name, Stopwatch.GetElapsedTime(before, at).TotalMilliseconds);
                before = at;
            }

            Add("(after the last step)", Stopwatch.GetElapsedTime(before, end).TotalMilliseconds);
            Add("= define + start", Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
            Add("bare launch", raw);
        }

        foreach (string name in order)
        {
            var list = times[name];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-22} median {MedianOf(list),8:0.###} ms (spread {list.Min():0.###}-{list.Max():0.###})"));
        }
    }
}
