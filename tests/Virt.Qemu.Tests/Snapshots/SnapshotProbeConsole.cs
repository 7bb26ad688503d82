using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Virt.Qemu.Tests.Snapshots;

/// <summary>
/// The tiny test guest's serial log (scripts/test-guest/init prints <c>VIRT-GUEST COUNTER N</c> every interval), read
/// from a position on: a mark taken before an operation separates what the guest printed before it from after it.
/// </summary>
internal sealed partial class SnapshotProbeConsole(string logPath)
{
    /// <summary>The log's length now: what the guest has printed so far ends here.</summary>
    public long Mark() => File.Exists(logPath) ? new FileInfo(logPath).Length : 0;

    /// <summary>The whole counter lines printed after <paramref name="from"/> (and before <paramref name="to"/>, if given), in order.
    /// A line cut at either end is no whole line and is left out.</summary>
    public IReadOnlyList<int> Counters(long from = 0, long? to = null)
    {
        // One byte before the mark tells whether the mark is at a line's start.
        string text = from == 0 ? Read(0, to) : Read(from - 1, to);
        int start = from == 0 ? 0 : text.IndexOf('\n', StringComparison.Ordinal) + 1;
        int end = text.LastIndexOf('\n');
        if ((from != 0 && start == 0) || end < start)
        {
            return [];
        }

        return [.. CounterLine().Matches(text[start..end]).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
    }

    /// <summary>The last whole counter printed before <paramref name="to"/> (the log's end when null), or 0 before the first.</summary>
    public int LastCounter(long? to = null) => Counters(0, to) is { Count: > 0 } all ? all[^1] : 0;

    /// <summary>Waits until the guest has printed a counter of at least <paramref name="value"/> after <paramref name="from"/>.</summary>
    public void WaitForCounter(int value, long from = 0, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(3);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (Counters(from).Any(c => c >= value))
            {
                return;
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"the guest printed no counter >= {value} within {limit}; console from {from}:\n{Read(from, null)}");
    }

    /// <summary>The log's text between two positions.</summary>
    public string Read(long from, long? to)
    {
        if (!File.Exists(logPath))
        {
            return "";
        }

        using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        long end = Math.Min(to ?? stream.Length, stream.Length);
        if (end <= from)
        {
            return "";
        }

        stream.Position = from;
        var buffer = new byte[end - from];
        stream.ReadExactly(buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    [GeneratedRegex(@"(?m)^VIRT-GUEST COUNTER (\d+)\r?$")]
    private static partial Regex CounterLine();
}
