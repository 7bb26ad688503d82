using Virt.Drivers;
using Virt.Qemu.Driver.Monitor;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver;

internal sealed partial class QemuDomainDriver : IMonitorEventSink
{
    /// <summary>How long a settle after QEMU's monitor ended waits for QEMU to be gone.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(2);

    /// <summary>Publishes to every connection of this process on this root that has subscribers, this one included
    /// (as libvirtd tells every client): a change is published once, by the connection that made or settled it.</summary>
    private new void PublishDomainEvent(DomainLifecycleEvent lifecycleEvent) => MonitorEvents.Publish(_root.Run, lifecycleEvent);

    /// <summary>The memory of domain <paramref name="name"/> when <paramref name="monitor"/> is the monitor this process holds for it.</summary>
    private DomainMemory? HeldMemory(string name, QmpClient monitor) =>
        MonitorEvents.MemoryOf(_root.StatusFile(name)) is { } held && held.Connection == monitor.Connection ? held : null;

    /// <inheritdoc/>
    void IMonitorEventSink.Deliver(DomainLifecycleEvent lifecycleEvent) => base.PublishDomainEvent(lifecycleEvent);

    /// <inheritdoc/>
    void IMonitorEventSink.SettleFromMonitor(string name, ProcessIdentity qemu)
    {
        try
        {
            using var job = Job(name, "settle");
            if (TryLoad(name) is not { Status: { } status } view || status.Process != qemu)
            {
                return;
            }

            if (status.IsQemuAlive)
            {
                // A guest that powered off leaves QEMU in 'shutdown' (-no-shutdown): it is ended now, or reset for a
                // reboot, as libvirt's qemuProcessShutdownOrReboot does. A quit or a kill ends QEMU by itself.
                if (MonitorEvents.WasShutDown(_root.StatusFile(name), qemu))
                {
                    using var monitor = TryConnectMonitor(status);
                    if (monitor is not null && TryQueryStatus(monitor) is { Status: "shutdown" } run)
                    {
                        _ = ApplyRunState(view, status, run, monitor);
                        return;
                    }
                }

                if (!qemu.WaitForExit(ExitWait))
                {
                    return;
                }
            }

            _ = Settle(view);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A pool thread: never end the caller's process. The next call or the watcher settles the domain.
            QemuDriverLog.WatcherFailed(_log, _root.Data, e);
        }
    }
}
