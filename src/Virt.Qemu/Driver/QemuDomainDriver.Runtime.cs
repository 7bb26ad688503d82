using Virt.Drivers;
using Virt.Qemu.Driver.Monitor;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver;

internal sealed partial class QemuDomainDriver
{
    /// <summary>
    /// Under the domain's job: brings the files in line with reality. An external snapshot create whose process died
    /// after QEMU switched to the overlays is finished first (<see cref="FinishExternalIntent"/>). A QEMU that is gone (killed, crashed, or a start
    /// whose process died half way) leaves the domain shut off (crashed) with its runtime files removed; a transient
    /// domain is then gone.
    /// </summary>
    private DomainView Settle(DomainView view)
    {
        view = FinishExternalIntent(view);
        if (view.Status is not { } status)
        {
            return view;
        }

        if (status.IsQemuAlive)
        {
            if (status.Stopping is null)
            {
                return view;
            }

            // A stop whose process died before QEMU ended: QEMU runs on, and a later end of it is not that stop's.
            var running = status with { Stopping = null };
            _files.WriteStatus(view.Name, running);
            return view with { Status = running };
        }

        if (status.Process is null && ProcessIdentity.FromPidFile(_root.PidFile(view.Name)) is { } orphan)
        {
            // A start that never finished recording its QEMU (the starting process died): that QEMU is nobody's.
            QemuProcessStop.Stop(orphan, monitor: null, graceful: false);
        }

        // A QEMU that said SHUTDOWN on the monitor this process holds before it ended was shut down (libvirt's
        // processMonitorEOFEvent): a quit or a signal from elsewhere, not a crash.
        var reason = status.Process is null ? DomainShutoffReason.Failed
            : status.Stopping ?? (MonitorEvents.WasShutDown(_root.StatusFile(view.Name), status.Process) ? DomainShutoffReason.Shutdown : DomainShutoffReason.Crashed);
        FinishStopped(view, reason);
        PublishDomainEvent(DomainLifecycleEvent.Of(IdentityOf(view), reason switch
        {
            DomainShutoffReason.Destroyed => DomainEventStoppedDetail.Destroyed,
            DomainShutoffReason.Shutdown => DomainEventStoppedDetail.Shutdown,
            _ => DomainEventStoppedDetail.Failed,
        }));
        return view with { Status = null };
    }

    /// <summary>Without waiting for a job: the view, settled when no job holds the domain, else as recorded.</summary>
    private DomainView Observe(DomainView view)
    {
        if (view.Status is not { } status || status.IsQemuAlive)
        {
            return view;
        }

        if (TryJob(view.Name, "settle") is not { } job)
        {
            return view;
        }

        using (job)
        {
            return TryLoad(view.Name) is { } fresh ? Settle(fresh) : view with { Status = null };
        }
    }

    /// <summary>The state as recorded for a running domain.</summary>
    private static DomainStateInfo ObservedState(DomainView view) =>
        view.Status is { } status ? new DomainStateInfo(status.State, status.Reason) : new DomainStateInfo(DomainState.Shutoff, 0);

    /// <summary>
    /// Under the job, for a running domain: asks QEMU its run state. A guest that powered itself off leaves QEMU in
    /// <c>shutdown</c> (QEMU runs with <c>-no-shutdown</c>): QEMU is then ended and the domain is shut off (shutdown).
    /// </summary>
    private DomainStateInfo QueryState(DomainView view, DomainStatus status, QmpClient monitor) => QueryState(view, status, monitor, out _);

    /// <summary>As <see cref="QueryState(DomainView, DomainStatus, QmpClient)"/>, also giving QEMU's own run status
    /// (<c>query-status</c>'s <c>status</c>), so a caller that needs it does not ask QEMU twice.</summary>
    private DomainStateInfo QueryState(DomainView view, DomainStatus status, QmpClient monitor, out string runStatus)
    {
        var run = monitor.QueryStatus();
        runStatus = run.Status;
        return ApplyRunState(view, status, run, monitor);
    }

    /// <summary>
    /// Records what QEMU said of its run state (<paramref name="run"/>) when it differs from the status; a QEMU in
    /// <c>shutdown</c> is ended through <paramref name="monitor"/> (or, without one, through a new connection, else
    /// signals) and the domain shut off.
    /// </summary>
    private DomainStateInfo ApplyRunState(DomainView view, DomainStatus status, StatusInfo run, QmpClient? monitor)
    {
        string statusFile = _root.StatusFile(view.Name);
        if (run.Status == "shutdown")
        {
            // The reset and resume, or the end of QEMU, are this job's doing: it publishes them.
            MonitorEvents.BeginJob(statusFile, this);
        }

        if (run.Status == "shutdown" && status.FakeReboot)
        {
            using var own = monitor is null ? TryConnectMonitor(status) : null;
            if ((monitor ?? own) is { } connected)
            {
                return FinishReboot(view, status, connected);
            }
        }

        if (run.Status == "shutdown")
        {
            using var own = monitor is null ? TryConnectMonitor(status) : null;
            QemuProcessStop.Stop(status.Process!.Value, monitor ?? own, graceful: false);
            bool published = MonitorEvents.WasShutDown(statusFile, status.Process);
            FinishStopped(view, DomainShutoffReason.Shutdown);
            if (!published)
            {
                // Nobody here heard QEMU's SHUTDOWN (another process holds its monitor), so nobody published it.
                PublishDomainEvent(DomainLifecycleEvent.Of(IdentityOf(view), DomainEventShutdownDetail.Finished));
            }

            PublishDomainEvent(DomainLifecycleEvent.Of(IdentityOf(view), DomainEventStoppedDetail.Shutdown));
            return new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Shutdown);
        }

        if (IsAsRecorded(status, run))
        {
            return new DomainStateInfo(status.State, status.Reason);
        }

        var observed = QemuRunState.ToDomainState(run.Running, run.Status);
        _files.WriteStatus(view.Name, status with { State = observed.State, Reason = observed.Reason });
        return observed;
    }

    /// <summary>Whether QEMU's run state (<paramref name="run"/>, not <c>shutdown</c>) is the state the status records; a
    /// pause the status records with its own reason stays as recorded while QEMU says paused for the user, except
    /// "starting up": QEMU that answers has started (the start that recorded it died before it recorded more).</summary>
    private static bool IsAsRecorded(DomainStatus status, StatusInfo run)
    {
        var observed = QemuRunState.ToDomainState(run.Running, run.Status);
        return run.Status != "shutdown" && observed.State == status.State
            && (status.State != DomainState.Paused || (observed.Reason == (int)DomainPausedReason.User && status.Reason != (int)DomainPausedReason.StartingUp));
    }

    /// <summary>Removes the runtime files of a domain whose QEMU has ended and records why it stopped.</summary>
    private void FinishStopped(DomainView view, DomainShutoffReason reason)
    {
        _files.DeleteRunFolder(view.Name);
        foreach (string? socket in new[] { view.Status?.MonitorSocket, view.Status?.EventSocket })
        {
            if (socket is not null && !socket.StartsWith(_root.Run, StringComparison.Ordinal))
            {
                File.Delete(socket);
            }
        }

        if (view.Config is not null)
        {
            _files.WriteShutoffReason(view.Name, reason);
        }
    }

    /// <summary>The domain's job if nobody holds it now, else null; a short job that leaves no record in the folder.</summary>
    private MonitoredJob? TryJob(string name, string job)
    {
        try
        {
            return new MonitoredJob(DomainJob.Acquire(_root, name, job, TimeSpan.Zero, record: false), _root.StatusFile(name), owner: null);
        }
        catch (VirtException e) when (e.Code == VirtErrorCode.OperationTimeout)
        {
            return null;
        }
    }
}
