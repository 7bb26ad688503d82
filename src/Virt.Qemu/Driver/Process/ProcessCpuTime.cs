using System.Globalization;

namespace Virt.Qemu.Driver.Process;

/// <summary>The CPU time a process has used (user + system, fields 14 and 15 of <c>/proc/PID/stat</c>).</summary>
internal static class ProcessCpuTime
{
    // USER_HZ, which the kernel fixes at 100 for /proc on every architecture .NET runs on.
    private const long TicksPerSecond = 100;

    /// <summary>The CPU time of <paramref name="pid"/>, or zero when it cannot be read.</summary>
    public static TimeSpan Of(int pid)
    {
        string[]? fields = ProcStat.Read(pid);
        if (fields is null || fields.Length <= ProcStat.Index(15)
            || !long.TryParse(fields[ProcStat.Index(14)], NumberStyles.None, CultureInfo.InvariantCulture, out long user)
            || !long.TryParse(fields[ProcStat.Index(15)], NumberStyles.None, CultureInfo.InvariantCulture, out long system))
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromTicks((user + system) * (TimeSpan.TicksPerSecond / TicksPerSecond));
    }
}
