using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver.Process;

/// <summary>
/// Ends a QEMU the fast way first: QMP <c>quit</c>, then SIGTERM, then (unless graceful) SIGKILL, each after a grace
/// period, as libvirt's virProcessKillPainfully does after its SIGTERM.
/// </summary>
internal static class QemuProcessStop
{
    /// <summary>How long QEMU gets to exit after <c>quit</c>.</summary>
    public static readonly TimeSpan QuitGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long QEMU gets to exit after SIGTERM (libvirt waits 10 s).</summary>
    public static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(10);

    /// <summary>How long the kernel gets to end QEMU after SIGKILL.</summary>
    public static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    /// <summary>Stops <paramref name="qemu"/>; returns once it has exited.</summary>
    /// <param name="qemu">The QEMU process.</param>
    /// <param name="monitor">Its monitor, or null when it is not connected.</param>
    /// <param name="graceful">Never send SIGKILL: fail instead if QEMU survives SIGTERM.</param>
    /// <param name="terminateGrace">The wait after SIGTERM; null for <see cref="TerminateGrace"/>.</param>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.SystemError"/> when QEMU is still running at the end.</exception>
    public static void Stop(ProcessIdentity qemu, IQmpClient? monitor, bool graceful, TimeSpan? terminateGrace = null)
    {
        if (monitor is not null && TryQuit(monitor) && qemu.WaitForExit(QuitGrace))
        {
            return;
        }

        if (!ProcessSignals.Send(qemu, ProcessSignals.Terminate) || qemu.WaitForExit(terminateGrace ?? TerminateGrace))
        {
            return;
        }

        if (graceful)
        {
            throw new VirtException(VirtErrorCode.SystemError, $"Failed to terminate process {qemu.Pid} with SIGTERM: Device or resource busy");
        }

        if (!ProcessSignals.Send(qemu, ProcessSignals.Kill) || qemu.WaitForExit(KillGrace))
        {
            return;
        }

        throw new VirtException(VirtErrorCode.SystemError, $"Failed to terminate process {qemu.Pid} with SIGKILL: Device or resource busy");
    }

    private static bool TryQuit(IQmpClient monitor)
    {
        try
        {
            monitor.Execute("quit", QuitGrace);
            return true;
        }
        catch (QmpConnectionException)
        {
            // QEMU closed the monitor as it quit, or the monitor was already gone: the wait that follows tells which.
            return true;
        }
        catch (VirtException)
        {
            return false;
        }
    }
}
