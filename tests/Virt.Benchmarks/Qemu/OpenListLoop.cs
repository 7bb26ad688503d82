using System.Diagnostics;
using static Virt.Benchmarks.Qemu.BenchDomain;

namespace Virt.Benchmarks.Qemu;

/// <summary>
/// Working on the open + list row of scripts/compare-qemu-libvirtd.sh without libvirtd: a root with COUNT defined
/// domains (made once, if missing), then ROUNDS times a new connection that lists them, each time printed.
/// </summary>
internal static class OpenListLoop
{
    public static void Run(string root, int count, int rounds)
    {
        using (var conn = OpenVirt(root))
        {
            for (int i = conn.ListAllDomains().Count; i < count; i++)
            {
                conn.DefineDomain(Xml(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"h{i:d3}"), 64, disk: null));
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            using (var conn = OpenVirt(root))
            {
                _ = conn.ListAllDomains().Count;
            }

            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"open-list {watch.Elapsed.TotalMilliseconds:F3} ms"));
        }
    }
}
