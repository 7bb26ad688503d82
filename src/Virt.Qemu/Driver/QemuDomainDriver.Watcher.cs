using Virt.Qemu.Driver.Monitor;

namespace Virt.Qemu.Driver;

internal sealed partial class QemuDomainDriver
{
    /// <summary>How often, while the connection has lifecycle subscribers, running domains are checked for a QEMU that ended.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _watcherStop = new();
    private Thread? _watcher;

    /// <summary>Lets the connection hear the events of its root's domains (<see cref="MonitorEvents"/>: QEMU's, where this
    /// process holds the monitor, and every other connection's of this process), and starts the watcher: a QEMU that
    /// ends without this connection's doing (killed, crashed, or stopped by another process) is noticed within
    /// <see cref="WatchInterval"/> plus the settle, and its stop is published.</summary>
    protected internal override void StartDomainEvents()
    {
        MonitorEvents.Register(_root.Run, this);
        _watcher = new Thread(Watch) { IsBackground = true, Name = "Virt QEMU watcher" };
        _watcher.Start();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            MonitorEvents.Unregister(_root.Run, this);
            _watcherStop.Cancel();
            if (_watcher is { } watcher && watcher != Thread.CurrentThread)
            {
                watcher.Join();
            }

            _watcherStop.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Watch()
    {
        var token = _watcherStop.Token;
        while (!token.WaitHandle.WaitOne(WatchInterval))
        {
            try
            {
                foreach (var view in AllDomains())
                {
                    if (Observe(view).Status is { FakeReboot: true })
                    {
                        FinishRebootIfDue(view.Name);
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Never end the caller's process from a background thread: a root that changes under the scan (a
                // domain undefined meanwhile) or any other failure is logged, and the next scan tries again.
                QemuDriverLog.WatcherFailed(_log, _root.Data, e);
            }
        }
    }

    /// <summary>For a domain with a reboot under way, when no job holds it: asks QEMU, which resets a guest that has powered off.</summary>
    private void FinishRebootIfDue(string name)
    {
        using var job = TryJob(name, "reboot");
        if (job is null || TryLoad(name) is not { Status: { FakeReboot: true } status } view)
        {
            return;
        }

        using var monitor = TryConnectMonitor(status);
        if (monitor is not null)
        {
            _ = QueryState(view, status, monitor);
        }
    }
}
