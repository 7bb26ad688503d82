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
        try
        {
            string stat = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
            return TimeSpan.FromTicks(ticks * (TimeSpan.TicksPerSecond / TicksPerSecond));
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return TimeSpan.Zero;
        }
    }
}
