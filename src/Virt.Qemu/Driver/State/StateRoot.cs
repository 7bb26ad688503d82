using System.Security.Cryptography;
using System.Text;
using Virt.Drivers.Rules;
using Virt.IO;

namespace Virt.Qemu.Driver.State;

/// <summary>
/// Where a QEMU connection keeps everything, as folders 0700 and files 0600. Domain names become folder names only
/// through <see cref="DomainFileName"/>. The layout (see Driver/README.md):
/// <code>
/// DATA/domains/NAME/domain.xml     the persistent definition
/// DATA/domains/NAME/autostart      present when the domain starts with the host
/// DATA/domains/NAME/nvram.*        the domain's UEFI variable store
/// DATA/domains/NAME/snapshots/     the snapshot metadata (SNAP.xml) and external snapshots' NVRAM copies (SNAP.nvram)
/// DATA/locks/NAME/                 locked (flock) while a job runs on the domain
/// DATA/log/NAME/                   character-device logs
/// RUN/NAME/status.json             while running: pid, start time, monitor, live definition
/// RUN/NAME/qemu.pid, qmp.sock      QEMU's own files
/// </code>
/// For <c>qemu:///embed?root=PATH</c> DATA is PATH and RUN is PATH/run; for <c>qemu:///session</c> DATA is
/// <c>$XDG_DATA_HOME/virt/qemu</c> and RUN is <c>$XDG_RUNTIME_DIR/virt/qemu</c>.
/// </summary>
internal sealed class StateRoot
{
    // sun_path holds 108 bytes with the terminating NUL.
    private const int MaxSocketPathBytes = 107;

    private StateRoot(string data, string run)
    {
        Data = data;
        Run = run;
        PrivateDirectory.Create(Path.Combine(data, "domains"));
        PrivateDirectory.Create(Path.Combine(data, "locks"));
        PrivateDirectory.Create(Path.Combine(data, "log"));
        PrivateDirectory.Create(run);
    }

    /// <summary>The persistent data folder.</summary>
    public string Data { get; }

    /// <summary>The runtime folder.</summary>
    public string Run { get; }

    /// <summary>The folder holding the domain folders.</summary>
    public string DomainsFolder => Path.Combine(Data, "domains");

    /// <summary>Opens (creating what is missing) the root of <c>qemu:///embed?root=PATH</c>.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> for a relative path.</exception>
    public static StateRoot Embed(string root)
    {
        if (!Path.IsPathFullyQualified(root))
        {
            throw new VirtException(VirtErrorCode.InvalidArg, $"root path must be absolute: '{root}'");
        }

        string full = Path.GetFullPath(root);
        return Open(full, Path.Combine(full, "run"));
    }

    /// <summary>Opens the per-user root of <c>qemu:///session</c>.</summary>
    public static StateRoot Session()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string data = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } d && Path.IsPathFullyQualified(d)
            ? d : Path.Combine(home, ".local", "share");
        string? runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } r && Path.IsPathFullyQualified(r) ? r : null;
        string dataRoot = Path.Combine(data, "virt", "qemu");
        return Open(dataRoot, runtime is null ? Path.Combine(dataRoot, "run") : Path.Combine(runtime, "virt", "qemu"));
    }

    /// <summary>The persistent folder of a domain.</summary>
    public string DomainFolder(string name) => Path.Combine(DomainsFolder, DomainFileName.ToPathComponent(name));

    /// <summary>The persistent definition of a domain.</summary>
    public string ConfigFile(string name) => Path.Combine(DomainFolder(name), "domain.xml");

    /// <summary>The autostart flag file of a domain.</summary>
    public string AutostartFile(string name) => Path.Combine(DomainFolder(name), "autostart");

    /// <summary>The snapshot metadata folder of a domain.</summary>
    public string SnapshotFolder(string name) => Path.Combine(DomainFolder(name), "snapshots");

    /// <summary>The copy of the domain's UEFI variable store an external snapshot keeps beside its metadata.</summary>
    public string SnapshotNvramFile(string name, string snapshot) => Path.Combine(SnapshotFolder(name), snapshot + ".nvram");

    /// <summary>The NVRAM file a domain gets when its definition names none.</summary>
    public string NvramFile(string name, string format) => Path.Combine(DomainFolder(name), format == "qcow2" ? "nvram.qcow2" : "nvram.fd");

    /// <summary>The folder locked while a job runs on the domain.</summary>
    public string LockFolder(string name) => Path.Combine(Data, "locks", DomainFileName.ToPathComponent(name));

    /// <summary>The log folder of a domain.</summary>
    public string LogFolder(string name) => Path.Combine(Data, "log", DomainFileName.ToPathComponent(name));

    /// <summary>The runtime folder of a domain.</summary>
    public string RunFolder(string name) => Path.Combine(Run, DomainFileName.ToPathComponent(name));

    /// <summary>The status file of a running domain.</summary>
    public string StatusFile(string name) => Path.Combine(RunFolder(name), "status.json");

    /// <summary>Where QEMU writes its pid while it runs.</summary>
    public string PidFile(string name) => Path.Combine(RunFolder(name), "qemu.pid");

    /// <summary>The QMP socket of a domain: in its runtime folder, or, when that path is too long for a UNIX
    /// socket, in a private folder of the temporary directory under a name derived from the runtime folder.</summary>
    public string MonitorSocket(string name) => Socket(name, "qmp");

    /// <summary>The second QMP socket of a domain (<c>events.sock</c>, placed as <see cref="MonitorSocket"/> is).</summary>
    public string EventSocket(string name) => Socket(name, "events");

    /// <summary>The folder whose flock says which process keeps the second QMP monitor open.</summary>
    public string MonitorLeaseFolder(string name) => Path.Combine(RunFolder(name), "events.lease");

    private string Socket(string name, string kind)
    {
        string preferred = Path.Combine(RunFolder(name), kind + ".sock");
        if (Encoding.UTF8.GetByteCount(preferred) <= MaxSocketPathBytes)
        {
            return preferred;
        }

        string folder = Path.Combine(Path.GetTempPath(), "virt-" + Environment.UserName);
        PrivateDirectory.Create(folder);
        var info = new DirectoryInfo(folder);
        if (info.LinkTarget is not null || (!OperatingSystem.IsWindows() && info.UnixFileMode != PrivateDirectory.Mode))
        {
            throw new VirtException(VirtErrorCode.OperationDenied, $"'{folder}' is not a private folder (0700, not a link); remove it or use a shorter root");
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RunFolder(name))), 0, 12);
        string shortPath = Path.Combine(folder, hash + (kind == "qmp" ? ".sock" : "." + kind + ".sock"));
        if (Encoding.UTF8.GetByteCount(shortPath) > MaxSocketPathBytes)
        {
            throw new VirtException(VirtErrorCode.InternalError, $"monitor socket path too long: '{preferred}'");
        }

        return shortPath;
    }

    /// <summary>The names of every folder under <c>domains/</c> (encoded names).</summary>
    public IEnumerable<string> DomainFolders() =>
        Directory.Exists(DomainsFolder) ? Directory.EnumerateDirectories(DomainsFolder).Where(IsDomainComponent) : [];

    /// <summary>Every runtime folder (encoded names).</summary>
    public IEnumerable<string> RunFolders() => Directory.EnumerateDirectories(Run).Where(IsDomainComponent);

    // DomainFileName never starts a component with '.', so dot folders are the root's own (ids, temporary files).
    private static bool IsDomainComponent(string folder) => !Path.GetFileName(folder).StartsWith('.');

    private static StateRoot Open(string data, string run)
    {
        try
        {
            return new StateRoot(data, run);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VirtException(VirtErrorCode.SystemError, $"cannot create the state root '{data}': {e.Message}", e);
        }
    }
}
