using Virt.Drivers;
using Virt.Qemu.Driver.Monitor;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver;

/// <summary>State and info queries: from memory while this process holds the domain's monitor and nothing changed,
/// else under the job with one <c>query-status</c>, else as recorded when another job holds the domain.</summary>
internal sealed partial class QemuDomainDriver
{
    /// <summary>How long a state query waits for QEMU's monitor before it answers with the recorded state.</summary>
    private static readonly TimeSpan StateProbeTimeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc/>
    public override DomainStateInfo GetDomainState(DomainIdentity domain)
    {
        // From memory while this process holds the domain's monitor and nothing has changed since the state was
        // settled (see DomainMemory): no job, no file read, no round trip to QEMU, as libvirtd answers.
        string statusFile = _root.StatusFile(domain.Name);
        if (MonitorEvents.MemoryOf(statusFile)?.TryAnswer(domain.Uuid) is { } remembered)
        {
            return remembered;
        }

        if (!File.Exists(statusFile))
        {
            // No QEMU recorded: shut off, as a query that finds the domain's job held would report it; no job needed.
            return ShutoffState(Peek(domain));
        }

        using var job = TryJob(domain.Name, "query");
        StatusInfo? firstAnswer = null;
        if (job is not null && HeldState(domain, out firstAnswer) is { } quick)
        {
            return quick;
        }

        var view = Load(domain);
        if (job is null)
        {
            return view.Status is null ? ShutoffState(view) : ObservedState(view);
        }

        view = Settle(view);
        if (view.Status is not { } status)
        {
            return ShutoffState(view);
        }

        var held = BorrowMonitor(status);
        var memory = held is null ? null : MonitorEvents.MemoryOf(statusFile);
        long generation = memory?.Generation ?? 0;
        // QEMU's word from the quick way is passed on (same job, same status): QEMU is not asked twice.
        var run = firstAnswer ?? (held is null ? QemuStatusProbe.TryQuery(status.MonitorSocket, StateProbeTimeout) : TryQueryStatus(held));
        if (run is null)
        {
            return ObservedState(view);
        }

        var state = ApplyRunState(view, status, run, held);
        if (memory is not null && status is { Stopping: null, FakeReboot: false })
        {
            Remember(memory, generation, state);
        }

        return state;
    }

    /// <inheritdoc/>
    public override DomainInfo GetDomainInfo(DomainIdentity domain)
    {
        var state = GetDomainState(domain);
        var view = Load(domain);
        var def = view.Status is { } status ? Conf.DomainDefinition.Parse(status.LiveXml) : view.Config!;
        var cpu = view.Status is { } s ? ProcessCpuTime.Of(s.Pid) : TimeSpan.Zero;
        return new DomainInfo(state.State, def.MemoryKiB, state.State.IsActive() ? def.EffectiveCurrentMemoryKiB : def.MemoryKiB,
            def.CurrentVcpus ?? def.Vcpus, cpu);
    }

    /// <summary>
    /// Under the job, the quick way: the state of a running domain whose QEMU this process holds the second monitor of,
    /// when QEMU's word is what the status records (no definition is read); it is remembered. Null when the full way must
    /// decide: the domain is not running or not as recorded (QEMU's word is then <paramref name="run"/>, for the full way
    /// to use), QEMU does not answer, or another process holds the monitor.
    /// </summary>
    private DomainStateInfo? HeldState(DomainIdentity domain, out StatusInfo? run)
    {
        run = null;
        if (_files.ReadStatus(domain.Name) is not { Stopping: null, FakeReboot: false } status || status.Uuid != domain.Uuid || !status.IsQemuAlive
            || BorrowMonitor(status) is not { } monitor)
        {
            return null;
        }

        var memory = MonitorEvents.MemoryOf(_root.StatusFile(domain.Name));
        long generation = memory?.Generation ?? 0;
        run = TryQueryStatus(monitor);
        if (run is null || !IsAsRecorded(status, run))
        {
            return null;
        }

        var state = new DomainStateInfo(status.State, status.Reason);
        if (memory is not null)
        {
            Remember(memory, generation, state);
        }

        return state;
    }

    /// <summary>Under the job: remembers the state settled with QEMU, once the events QEMU sent before its answer were
    /// handled (an event since <paramref name="generation"/> leaves the memory in doubt).</summary>
    private static void Remember(DomainMemory memory, long generation, DomainStateInfo state)
    {
        if (memory.Connection.WaitForHandlers(StateProbeTimeout))
        {
            memory.Remember(generation, state);
        }
    }

    /// <summary>QEMU's <c>query-status</c> through a held monitor, or null when it does not answer within the probe's time.</summary>
    private static StatusInfo? TryQueryStatus(QmpClient monitor)
    {
        try
        {
            return monitor.Query("query-status", QmpJsonContext.Default.StatusInfo, StateProbeTimeout);
        }
        catch (Exception e) when (e is VirtException or QmpConnectionException)
        {
            return null;
        }
    }

    private DomainStateInfo ShutoffState(DomainView view) =>
        new(DomainState.Shutoff, !view.IsPersistent ? 0 : (int)_files.ReadShutoffReason(view.Name));
}
