using System.Diagnostics;
using System.Globalization;
using Virt.Qemu.Qmp;

namespace Virt.Benchmarks.Qmp;

/// <summary>
/// A quick, timed loop for working on the QMP client's round trip (issue 10): query-status through <see cref="QmpClient"/>
/// against <see cref="RawQmpLoop"/> on the same paused QEMU (two monitors), in alternating blocks of 50 calls so that
/// both sides meet the same load. Prints each round's median call on both sides and their ratio, then the median and
/// spread over the rounds. Run: <c>dotnet tests/Virt.Benchmarks/bin/Release/net10.0/Virt.Benchmarks.dll qmp-roundtrip-loop CALLS ROUNDS</c>.
/// </summary>
internal static class RoundTripLoop
{
    private const int Block = 50;

    public static void Run(int calls, int rounds)
    {
        using var raw = new RawQmpLoop(BenchQemu.Instance.RawSocket);
        using var client = QmpClient.Connect(BenchQemu.Instance.ClientSocket);
        var rawMedians = new List<double>();
        var clientMedians = new List<double>();
        var ratios = new List<double>();
        for (int round = -1; round < rounds; round++)
        {
            var rawTimes = new List<double>(calls);
            var clientTimes = new List<double>(calls);
            for (int done = 0; done < calls; done += Block)
            {
                for (int i = 0; i < Block; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    raw.RoundTrip();
                    rawTimes.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }

                for (int i = 0; i < Block; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    client.QueryStatus();
                    clientTimes.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
            }

            if (round < 0)
            {
                continue;
            }

            double rawMedian = Median(rawTimes);
            double clientMedian = Median(clientTimes);
            rawMedians.Add(rawMedian);
            clientMedians.Add(clientMedian);
            ratios.Add(clientMedian / rawMedian);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: raw {rawMedian:0.0} us, client {clientMedian:0.0} us (mean {clientTimes.Average():0.0} vs {rawTimes.Average():0.0}), ratio {clientMedian / rawMedian:0.00}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"raw median {Median(rawMedians):0.0} us ({rawMedians.Min():0.0}-{rawMedians.Max():0.0}), client {Median(clientMedians):0.0} us ({clientMedians.Min():0.0}-{clientMedians.Max():0.0}), per-round ratio {Median(ratios):0.00} ({ratios.Min():0.00}-{ratios.Max():0.00})"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
