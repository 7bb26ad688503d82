using Microsoft.Extensions.Logging;
using Virt.Conf;
using Virt.Drivers;
using Virt.Qemu.Driver.Monitor;
using Virt.Qemu.Driver.Process;
using Virt.Qemu.Driver.State;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Driver;

/// <summary>
/// The QEMU driver: domains kept in a <see cref="StateRoot"/>, QEMU run in-process (no daemon). The files are the
/// truth, not this object: every call reads what it needs from the root, under the domain's job lock when it
/// changes anything, so any number of connections in any number of processes share one root, and a process that
/// opens a root takes over the domains that are running. The monitor is connected only for the length of a job
/// (QEMU serves one QMP client at a time, and the job lock makes that client this job).
/// </summary>
internal sealed partial class QemuDomainDriver : VirtDriver
{
    /// <summary>How long a call waits for another job on the same domain.</summary>
    public static readonly TimeSpan JobWait = TimeSpan.FromSeconds(30);

    /// <summary>How long QEMU gets to start and answer on its monitor.</summary>
    public static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(30);

    private readonly StateRoot _root;
    private readonly DomainFiles _files;
    private readonly ILogger _log;
    private readonly QmpClientOptions _monitorOptions;
    private readonly ILoggerFactory _loggerFactory;

    public QemuDomainDriver(StateRoot root, ILoggerFactory loggerFactory)
    {
        _root = root;
        _files = new DomainFiles(root);
        _loggerFactory = loggerFactory;
        _log = loggerFactory.CreateLogger(QemuDriverLog.Category);
        _monitorOptions = new QmpClientOptions { LoggerFactory = loggerFactory };
    }

    /// <inheritdoc/>
    public override string HypervisorType => "QEMU";

    /// <inheritdoc/>
    public override bool SupportsDomainEvents => true;

    /// <summary>Called with a step's name after each step of a multi-step operation (tests kill the process there).</summary>
    internal Action<string>? Step { get; init; }

    /// <summary>The root this connection works in.</summary>
    internal StateRoot Root => _root;

    private MonitoredJob Job(string name, string job) =>
        new(DomainJob.Acquire(_root, name, job, JobWait), _root.StatusFile(name), job == "monitor" ? null : this);

    /// <summary>QEMU's monitor for a job: the second monitor this process holds (or now takes), else a connection of its own.</summary>
    private QmpClient ConnectMonitor(DomainStatus status) => BorrowMonitor(status) ?? QmpClient.Connect(status.MonitorSocket, _monitorOptions);

    private QmpClient? BorrowMonitor(DomainStatus status) =>
        MonitorLease.TryBorrow(status, _root.MonitorLeaseFolder(status.Name), _root.StatusFile(status.Name), _root.Run, _monitorOptions);

    private static VirtException NotRunning() => new(VirtErrorCode.OperationInvalid, "domain is not running");

    private static VirtException NoDomain(DomainIdentity domain) =>
        new(VirtErrorCode.NoDomain, $"no domain with matching uuid '{domain.Uuid:D}' ({domain.Name})");

    private static DomainIdentity IdentityOf(DomainDefinition def) => new(def.Name, def.Uuid ?? Guid.Empty);

    private static DomainIdentity IdentityOf(DomainView view) => new(view.Name, view.Uuid);
}
