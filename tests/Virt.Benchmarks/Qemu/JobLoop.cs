using System.Diagnostics;
using System.Globalization;
using Virt.Qemu.Driver.State;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// The domain job lock alone: ROUNDS rounds of COUNT takes and releases of one domain's job (recorded, as every
/// changing call takes it), after one uncounted round. Prints the median and spread of the per-round mean of one take
/// + release. Run: <c>dotnet tests/Virt.Benchmarks/bin/Release/net10.0/Virt.Benchmarks.dll qemu-job-loop WORK COUNT ROUNDS</c>.
/// </summary>
internal static class JobLoop
{
    public static void Run(string work, int count, int rounds)
    {
        string folder = Path.Combine(work, "job-root");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var root = StateRoot.Embed(folder);
        var means = new List<double>();
        for (int round = -1; round < rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                DomainJob.Acquire(root, "vm", "start", TimeSpan.FromSeconds(1)).Dispose();
            }

            double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds / count;
            if (round >= 0)
            {
                means.Add(us);
            }
        }

        means.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"job take + release: median {means[means.Count / 2]:0.0} us (spread {means[0]:0.0}-{means[^1]:0.0}) over {rounds} rounds of {count}"));
    }
}
