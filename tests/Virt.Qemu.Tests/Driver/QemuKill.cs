using System.Diagnostics;

namespace Virt.Qemu.Tests.Driver;

/// <summary>
/// Finds the QEMU processes still running, and kills a QEMU with SIGKILL and waits until it has ended. The driver spawns QEMU as a child of the starting process
/// and reaps it when it next checks it, so an ended QEMU may stay a zombie meanwhile: <see cref="Process.WaitForExit()"/>
/// would wait for it forever; this waits until <c>/proc</c> shows it gone or a zombie.
/// </summary>
internal static class QemuKill
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Kills process <paramref name="pid"/> and waits (at most 10 s) until it has ended.</summary>
    public static void AndWait(int pid)
    {
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill();
        }

        var watch = Stopwatch.StartNew();
        while (!HasEnded(pid) && watch.Elapsed < Limit)
        {
            Thread.Sleep(5);
        }
    }

    /// <summary>The QEMU processes (started as <c>/usr/bin/qemu-system-*</c>, zombies left out) whose command line holds
    /// <paramref name="text"/>: a domain's UUID, or a root's path.</summary>
    public static List<int> Running(string text)
    {
        var pids = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains(text, StringComparison.Ordinal) && cmdline.StartsWith("/usr/bin/qemu-system", StringComparison.Ordinal) && !HasEnded(pid))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }

        return pids;
    }

    private static bool HasEnded(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
