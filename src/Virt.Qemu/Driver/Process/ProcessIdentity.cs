using System.Globalization;

namespace Virt.Qemu.Driver.Process;

/// <summary>
/// A process known by its pid and its start time (field 22 of <c>/proc/PID/stat</c>, in clock ticks since boot), so
/// a pid the kernel has since given to another process is never mistaken for the QEMU that had it.
/// </summary>
/// <param name="Pid">The process id.</param>
/// <param name="StartTime">The start time, in clock ticks since boot.</param>
internal readonly record struct ProcessIdentity(int Pid, ulong StartTime)
{
    private static readonly TimeSpan ZombieReapWait = TimeSpan.FromSeconds(1);

    /// <summary>Reads the identity of a live process; null when there is no such process or it is a zombie.</summary>
    public static ProcessIdentity? Read(int pid)
    {
        if (pid <= 0 || ReadStat(pid) is not { } stat || stat.State == 'Z')
        {
            return null;
        }

        return new ProcessIdentity(pid, stat.StartTime);
    }

    /// <summary>The live process whose pid <paramref name="pidFile"/> holds (as QEMU's <c>-pidfile</c> writes it), or
    /// null when there is no such file or process.</summary>
    public static ProcessIdentity? FromPidFile(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? Read(pid) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether this very process is still running (same pid, same start time, not a zombie). A zombie that
    /// is this process's child (a QEMU it spawned) is reaped, so that its pid is freed.</summary>
    public bool IsAlive
    {
        get
        {
            if (ReadStat(Pid) is not { } stat || stat.StartTime != StartTime)
            {
                return false;
            }

            if (stat.State == 'Z')
            {
                // Ended; a zombie child of this process is reaped once its last threads are gone (within moments).
                QemuSpawn.ReapWhenGone(Pid, ZombieReapWait);
                return false;
            }

            return true;
        }
    }

    /// <summary>Waits until the process has ended or <paramref name="timeout"/> has passed.</summary>
    /// <returns>True when it has ended.</returns>
    public bool WaitForExit(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        int pause = 1;
        while (IsAlive)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }

            Thread.Sleep(pause);
            pause = Math.Min(pause * 2, 20);
        }

        return true;
    }

    private static (char State, ulong StartTime)? ReadStat(int pid)
    {
        string[]? fields = ProcStat.Read(pid);
        int startTime = ProcStat.Index(22);
        if (fields is null || fields.Length <= startTime || fields[0].Length != 1
            || !ulong.TryParse(fields[startTime], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start))
        {
            return null;
        }

        return (fields[0][0], start);
    }
}
