namespace Virt.Qemu.Qmp;

/// <summary>
/// How long to wait for QEMU, per command (as Proxmox keeps a table): short for queries, longer for
/// commands that do I/O, long for jobs, which report completion through events.
/// </summary>
internal static class QmpTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, TimeSpan> Commands = new(StringComparer.Ordinal)
    {
        ["qmp_capabilities"] = TimeSpan.FromSeconds(10),
        ["query-status"] = TimeSpan.FromSeconds(10),
        ["query-version"] = TimeSpan.FromSeconds(10),
        ["quit"] = TimeSpan.FromSeconds(10),
        ["system_powerdown"] = TimeSpan.FromSeconds(10),
        ["query-qmp-schema"] = TimeSpan.FromSeconds(60),
        ["human-monitor-command"] = TimeSpan.FromMinutes(10),
        ["blockdev-add"] = TimeSpan.FromSeconds(60),
        ["blockdev-del"] = TimeSpan.FromSeconds(60),
        ["blockdev-snapshot"] = TimeSpan.FromSeconds(60),
        ["transaction"] = TimeSpan.FromMinutes(2),
        ["pmemsave"] = TimeSpan.FromMinutes(10),
        ["migrate"] = TimeSpan.FromSeconds(60),

        // The monitor answers a snapshot job's command only once the whole save or load is done (QEMU-FACTS.md).
        ["snapshot-save"] = TimeSpan.FromHours(1),
        ["snapshot-load"] = TimeSpan.FromHours(1),
        ["snapshot-delete"] = TimeSpan.FromMinutes(30),
    };

    private static readonly Dictionary<string, TimeSpan> Jobs = new(StringComparer.Ordinal)
    {
        ["snapshot-save"] = TimeSpan.FromHours(1),
        ["snapshot-load"] = TimeSpan.FromHours(1),
        ["snapshot-delete"] = TimeSpan.FromMinutes(30),
        ["blockdev-create"] = TimeSpan.FromMinutes(30),

        // A merge copies up to the whole disk.
        ["block-commit"] = TimeSpan.FromHours(2),
        ["block-stream"] = TimeSpan.FromHours(2),
    };

    /// <summary>How long one command may wait for its reply.</summary>
    public static TimeSpan ForCommand(string command) =>
        Commands.TryGetValue(command, out var timeout) ? timeout : Default;

    /// <summary>How long a job started by <paramref name="command"/> may run to its conclusion.</summary>
    public static TimeSpan ForJob(string command) =>
        Jobs.TryGetValue(command, out var timeout) ? timeout : TimeSpan.FromMinutes(30);
}
