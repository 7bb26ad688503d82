using Virt.Drivers;
using Virt.IO;
using Virt.Qemu.Driver.Live;
using Virt.Qemu.Driver.Monitor;
using Virt.Qemu.Driver.Nvram;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver;

internal sealed partial class QemuDomainDriver
{
    /// <inheritdoc/>
    public override void StartDomain(DomainIdentity domain, DomainStartFlags flags, CancellationToken cancellationToken)
    {
        DriverFlags.CheckSupported(flags, DomainStartFlags.Paused | DomainStartFlags.ForceBoot, "qemuDomainCreateWithFlags");
        using var job = Job(domain.Name, "start");
        Step?.Invoke("start:job");
        var view = Settle(Load(domain));
        Step?.Invoke("start:view");
        if (view.IsActive)
        {
            throw new VirtException(VirtErrorCode.OperationInvalid, "domain is already running");
        }

        bool paused = flags.HasFlag(DomainStartFlags.Paused);
        Launch(view.Config!, transient: false, paused
            ? new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)
            : new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Booted), load: null, cancellationToken);
        PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventStartedDetail.Booted));
        if (paused)
        {
            PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventSuspendedDetail.Paused));
        }
    }

    /// <summary>
    /// Starts QEMU for <paramref name="def"/> with its vCPUs stopped, runs <paramref name="load"/> (a snapshot to load
    /// before any vCPU runs, or null), then resumes it unless <paramref name="target"/> is paused, and records the
    /// domain in <paramref name="target"/>. On failure QEMU is ended and the domain is shut off; nothing is published.
    /// With <paramref name="incoming"/> QEMU is started with <c>-incoming defer</c>, for a <paramref name="load"/> that
    /// restores a memory state (<see cref="Snapshots.MemoryState.Restore"/>).
    /// </summary>
    private void Launch(Conf.DomainDefinition def, bool transient, DomainStateInfo target, Action<QmpClient>? load, CancellationToken cancellationToken,
        bool incoming = false)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            throw StartCancelled(def.Name, null);
        }

        QemuLaunchCheck.Check(def);
        Step?.Invoke("start:checked");
        NvramStore.EnsureCreated(def);
        string name = def.Name;
        // The runtime folder lives as long as QEMU, which a host crash ends: its creation need not be made durable.
        PrivateDirectory.Create(_root.RunFolder(name), FileSteps.Unflushed);
        PrivateDirectory.Create(_root.LogFolder(name));
        Step?.Invoke("start:folders");
        var paths = RuntimePaths(name);
        var command = QemuCommandLine.Build(def, paths, incoming);
        Step?.Invoke("start:command");
        int id = AllocateId();
        Step?.Invoke("start:id");
        var status = new DomainStatus
        {
            Name = name, Uuid = def.Uuid!.Value, Id = id, Pid = 0, StartTime = 0, MonitorSocket = paths.QmpSocket, EventSocket = paths.EventSocket,
            LiveXml = def.ToXml(id),
            DefinitionXml = def.ToXml(),
            State = DomainState.Paused, Reason = (int)DomainPausedReason.StartingUp, Started = DateTimeOffset.UtcNow, Transient = transient,
        };

        // Recorded before QEMU exists: if this process dies during the start, the next job finds the QEMU by its pid file and ends it.
        _files.WriteStatus(name, status);
        Step?.Invoke("start:recorded");
        // QEMU is recorded (pid, start time, live XML) while it starts up, so that the time it takes hides the write:
        // still starting up, which a later job that finds QEMU answering takes for what QEMU says. Only a pty's name
        // must be learnt from QEMU; with one, QEMU is recorded once its monitor answers.
        bool hasPty = command.Arguments.Any(a => a.StartsWith("pty,", StringComparison.Ordinal));
        DomainStatus? recorded = null;
        void Record(ProcessIdentity qemu, string liveXml)
        {
            recorded = status with { Pid = qemu.Pid, StartTime = qemu.StartTime, LiveXml = liveXml };
            Step?.Invoke("start:live-xml");
            _files.WriteStatus(name, recorded);
            Step?.Invoke("start:pid-recorded");
        }

        // A start that asks QEMU's monitor nothing but to resume (no pty to learn, no state to load) talks QMP on this
        // thread (QemuStartMonitor): after cont, a hand-over to a reader thread may wait for a core the guest has taken.
        Action<ProcessIdentity>? whileStarting = hasPty ? null : qemu => Record(qemu, LiveDefinition.Format(def, id, command, NoPtys, i => BackingChain(def.Devices.Disks[i])));
        ProcessIdentity process;
        QmpClient? monitor = null;
        QemuStartMonitor? startMonitor = null;
        try
        {
            if (!hasPty && load is null)
            {
                (process, startMonitor) = QemuProcessLauncher.LaunchForResume(command, paths, LaunchTimeout, cancellationToken, Step, whileStarting);
            }
            else
            {
                var launch = QemuProcessLauncher.Launch(command, paths, LaunchTimeout, _monitorOptions, cancellationToken, Step, whileStarting);
                (process, monitor) = (launch.Process, launch.Monitor);
            }
        }
        catch (OperationCanceledException e)
        {
            _files.DeleteRunFolder(name);
            throw StartCancelled(name, e);
        }
        catch
        {
            _files.DeleteRunFolder(name);
            throw;
        }

        try
        {
            Step?.Invoke("start:launched");
            if (recorded is null)
            {
                Record(process, LiveDefinition.Format(def, id, command, LiveDefinition.PtysOf(monitor!.Query("query-chardev", QmpJsonContext.Default.JsonElement)),
                    i => BackingChain(def.Devices.Disks[i])));
            }

            if (load is not null)
            {
                load(monitor!);
                Step?.Invoke("start:loaded");
            }

            if (target.State == DomainState.Running)
            {
                if (startMonitor is not null)
                {
                    startMonitor.Execute("cont");
                }
                else
                {
                    Qemu(() => monitor!.Cont());
                }

                Step?.Invoke("start:resumed");
            }

            _files.WriteStatus(name, recorded! with { State = target.State, Reason = target.Reason });
            Step?.Invoke("start:done");
        }
        catch
        {
            QemuProcessStop.Stop(process, monitor, graceful: false);
            _files.DeleteRunFolder(name);
            throw;
        }
        finally
        {
            monitor?.Dispose();
            startMonitor?.Dispose();
        }
    }

    private static readonly Dictionary<string, string> NoPtys = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override void DestroyDomain(DomainIdentity domain, DomainDestroyFlags flags)
    {
        DriverFlags.CheckSupported(flags, DomainDestroyFlags.Graceful, "qemuDomainDestroyFlags");
        using var job = Job(domain.Name, "destroy");
        var view = Settle(Load(domain));
        if (view.Status is not { } status)
        {
            throw NotRunning();
        }

        _files.WriteStatus(domain.Name, status with { Stopping = DomainShutoffReason.Destroyed });
        Step?.Invoke("destroy:recorded");
        QmpClient? monitor = TryConnectMonitor(status);
        try
        {
            QemuProcessStop.Stop(status.Process!.Value, monitor, flags.HasFlag(DomainDestroyFlags.Graceful));
        }
        catch
        {
            _files.WriteStatus(domain.Name, status);
            throw;
        }
        finally
        {
            monitor?.Dispose();
        }

        Step?.Invoke("destroy:stopped");
        FinishStopped(view, DomainShutoffReason.Destroyed);
        PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventStoppedDetail.Destroyed));
    }

    /// <inheritdoc/>
    public override void ShutdownDomain(DomainIdentity domain, DomainShutdownFlags flags)
    {
        DriverFlags.CheckSupported(flags, DomainShutdownFlags.AcpiPowerButton, "qemuDomainShutdownFlags");
        RunningJob(domain, "shutdown", (view, status, monitor) =>
        {
            Qemu(monitor.SystemPowerdown);
            return status;
        });
    }

    /// <inheritdoc/>
    public override void SuspendDomain(DomainIdentity domain)
    {
        RunningJob(domain, "suspend", (view, status, monitor) =>
        {
            if (status.State == DomainState.Paused)
            {
                return status;
            }

            Qemu(monitor.Stop);
            PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventSuspendedDetail.Paused));
            return status with { State = DomainState.Paused, Reason = (int)DomainPausedReason.User };
        });
    }

    /// <inheritdoc/>
    public override void ResumeDomain(DomainIdentity domain)
    {
        RunningJob(domain, "resume", (view, status, monitor) =>
        {
            if (status.State != DomainState.Paused)
            {
                return status;
            }

            Qemu(monitor.Cont);
            PublishDomainEvent(DomainLifecycleEvent.Of(domain, DomainEventResumedDetail.Unpaused));
            return status with { State = DomainState.Running, Reason = (int)DomainRunningReason.Unpaused };
        });
    }

    /// <inheritdoc/>
    public override string MonitorCommand(DomainIdentity domain, string command, MonitorCommandFlags flags)
    {
        DriverFlags.CheckSupported(flags, MonitorCommandFlags.Hmp, "qemuDomainQemuMonitorCommand");
        string result = string.Empty;
        RunningJob(domain, "monitor", (view, status, monitor) =>
        {
            result = flags.HasFlag(MonitorCommandFlags.Hmp) ? monitor.HumanMonitorCommand(command) : monitor.ExecuteRaw(command);
            return status;
        });
        return result;
    }

    /// <summary>Runs <paramref name="action"/> under the job on a running domain with its monitor, and records the status it returns.</summary>
    private void RunningJob(DomainIdentity domain, string jobName, Func<DomainView, DomainStatus, QmpClient, DomainStatus> action)
    {
        using var job = Job(domain.Name, jobName);
        var view = Settle(Load(domain));
        if (view.Status is not { } status)
        {
            throw NotRunning();
        }

        using var monitor = ConnectMonitor(status);
        var memory = MonitorEvents.MemoryOf(_root.StatusFile(view.Name)) is { } held && held.Connection == monitor.Connection ? held : null;
        long generation = memory?.Generation ?? 0;
        var state = QueryState(view, status, monitor);
        if (state.State == DomainState.Shutoff)
        {
            throw NotRunning();
        }

        status = status with { State = state.State, Reason = state.Reason };
        var updated = action(view, status, monitor);
        bool passedThrough = jobName == "monitor";
        if (updated != status || passedThrough)
        {
            // A command passed through may have changed anything: the status is written anew, so that the process
            // holding the monitor no longer answers from memory (its stamp changes) before QEMU's events reach it.
            _files.WriteStatus(view.Name, updated);
        }

        if (memory is not null && !passedThrough && updated is { Stopping: null, FakeReboot: false })
        {
            Remember(memory, generation, new DomainStateInfo(updated.State, updated.Reason));
        }
    }

    private QmpClient? TryConnectMonitor(DomainStatus status)
    {
        if (BorrowMonitor(status) is { } held)
        {
            return held;
        }

        try
        {
            return QmpClient.Connect(status.MonitorSocket, _monitorOptions with { ConnectTimeout = TimeSpan.FromSeconds(2) });
        }
        catch (VirtException)
        {
            return null;
        }
    }

    private static void Qemu(Action command)
    {
        try
        {
            command();
        }
        catch (QmpConnectionException e)
        {
            throw new VirtException(VirtErrorCode.OperationFailed, "QEMU's monitor went away: " + e.Message, e);
        }
    }

    private int AllocateId()
    {
        string folder = Path.Combine(_root.Run, ".ids");
        PrivateDirectory.Create(folder);
        long deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            using var held = FolderLock.TryAcquire(folder, out _);
            if (held is not null)
            {
                return NextId(Path.Combine(folder, "last"));
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new VirtException(VirtErrorCode.OperationTimeout, "cannot allocate a domain id: the id counter stays locked");
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>
    /// Takes the next id from the counter <paramref name="file"/> (under the counter's lock), rewriting it in place: one
    /// open, read and write instead of a temporary file and a rename. The new number is written over the old one before
    /// the file is cut to its length, so a process killed in between leaves a number at least as large (ids only grow
    /// until they wrap), never an empty file; a host crash ends every domain the counter numbered.
    /// </summary>
    private static int NextId(string file)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = AtomicFile.PrivateFile;
        }

        using var stream = new FileStream(file, options);
        Span<byte> buffer = stackalloc byte[16];
        int length = stream.Read(buffer);
        int last = int.TryParse(buffer[..length], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 0;
        int next = last == int.MaxValue ? 1 : last + 1;
        byte[] text = System.Text.Encoding.ASCII.GetBytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture));
        RandomAccess.Write(stream.SafeFileHandle, text, 0);
        stream.SetLength(text.Length);
        return next;
    }

    /// <summary>The backing files below a disk's image, as its headers name them; empty when it has none or they cannot be read.</summary>
    private static IReadOnlyList<(string Path, string Format)> BackingChain(Conf.DomainDisk disk)
    {
        if (disk.Source is not { } source || disk.Type != "file" || disk.DriverType is not "qcow2")
        {
            return [];
        }

        try
        {
            return Images.QemuImage.GetBackingChain(source, "qcow2").Skip(1).Select(image => (image.Filename, image.Format)).ToList();
        }
        catch (VirtException)
        {
            return [];
        }
    }

    private static VirtException StartCancelled(string name, Exception? cause) =>
        new(VirtErrorCode.OperationAborted, $"start of domain '{name}' was cancelled", cause);
}
