using System.Globalization;

namespace Virt.Qemu.Driver.Process;

/// <summary>Reads <c>/proc/PID/stat</c>: the fields after the command name, which is in parentheses and may itself
/// hold spaces or ')', so fields are counted from the last ')'. Field N of proc(5) is at index N - 3.</summary>
internal static class ProcStat
{
    /// <summary>The fields from field 3 (the state) on, or null when the process does not exist.</summary>
    public static string[]? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        int end = text.LastIndexOf(')');
        return end < 0 ? null : text[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The index in <see cref="Read"/>'s result of proc(5)'s field <paramref name="field"/>.</summary>
    public static int Index(int field) => field - 3;
}
