namespace Virt.Qemu.Driver.Monitor;

/// <summary>
/// QEMU's run states (<c>query-status</c>'s <c>status</c>, QAPI RunState) as libvirt's domain state and reason, as
/// libvirt's qemuProcessUpdateState and qemuMonitorVMStatusToPausedReason map them on reconnect.
/// </summary>
internal static class QemuRunState
{
    /// <summary>The domain state for a QEMU whose <c>query-status</c> said <paramref name="running"/> and <paramref name="status"/>.</summary>
    public static DomainStateInfo ToDomainState(bool running, string status)
    {
        if (running)
        {
            return new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Unknown);
        }

        var reason = status switch
        {
            "inmigrate" or "postmigrate" or "finish-migrate" => DomainPausedReason.Migration,
            "io-error" => DomainPausedReason.IOError,
            "paused" or "prelaunch" => DomainPausedReason.User,
            "save-vm" => DomainPausedReason.Save,
            "shutdown" => DomainPausedReason.ShuttingDown,
            "watchdog" => DomainPausedReason.Watchdog,
            "guest-panicked" => DomainPausedReason.Crashed,
            _ => DomainPausedReason.Unknown,
        };
        return new DomainStateInfo(DomainState.Paused, (int)reason);
    }
}
