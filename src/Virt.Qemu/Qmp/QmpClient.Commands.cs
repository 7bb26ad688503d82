using System.Text.Json;

namespace Virt.Qemu.Qmp;

// Typed wrappers for the commands the driver uses. Each throws what Execute/Query document.
internal sealed partial class QmpClient
{
    private static QmpJsonContext Json => QmpJsonContext.Default;

    public StatusInfo QueryStatus(CancellationToken cancellationToken = default) =>
        Query("query-status", Json.StatusInfo, cancellationToken: cancellationToken);

    public VersionInfo QueryVersion() => Query("query-version", Json.VersionInfo);

    /// <summary>Pauses the vCPUs (QEMU raises <c>STOP</c>).</summary>
    public void Stop() => Execute("stop");

    /// <summary>Resumes the vCPUs (QEMU raises <c>RESUME</c>).</summary>
    public void Cont() => Execute("cont");

    /// <summary>Asks QEMU to exit; QEMU replies, then closes the connection.</summary>
    public void Quit() => Execute("quit");

    /// <summary>Presses the ACPI power button.</summary>
    public void SystemPowerdown() => Execute("system_powerdown");

    public IReadOnlyList<BlockInfo> QueryBlock() => Query("query-block", Json.ListBlockInfo);

    public IReadOnlyList<BlockDeviceInfo> QueryNamedBlockNodes() => Query("query-named-block-nodes", Json.ListBlockDeviceInfo);

    /// <summary>Adds a block node; <paramref name="options"/> is QEMU's <c>BlockdevOptions</c> object.</summary>
    public void BlockdevAdd(JsonElement options) => Execute("blockdev-add", options, Json.JsonElement);

    public void BlockdevDel(string nodeName) => Execute("blockdev-del", new NodeNameArguments(nodeName), Json.NodeNameArguments);

    /// <summary>Puts the (already added) <paramref name="overlay"/> node on top of <paramref name="node"/>.</summary>
    public void BlockdevSnapshot(string node, string overlay) =>
        Execute("blockdev-snapshot", new BlockdevSnapshotArguments(node, overlay), Json.BlockdevSnapshotArguments);

    /// <summary>Runs actions atomically: all succeed or none takes effect.</summary>
    public void Transaction(IReadOnlyList<TransactionAction> actions) =>
        Execute("transaction", new TransactionArguments(actions), Json.TransactionArguments);

    public IReadOnlyList<JobInfo> QueryJobs() => Query("query-jobs", Json.ListJobInfo);

    public void JobDismiss(string jobId) => Execute("job-dismiss", new JobIdArguments(jobId), Json.JobIdArguments);

    public void JobCancel(string jobId) => Execute("job-cancel", new JobIdArguments(jobId), Json.JobIdArguments);

    public void Migrate(string uri) => Execute("migrate", new MigrateArguments(uri), Json.MigrateArguments);

    public MigrationInfo QueryMigrate() => Query("query-migrate", Json.MigrationInfo);

    public void MigrateSetCapabilities(IReadOnlyList<MigrationCapabilityStatus> capabilities) =>
        Execute("migrate-set-capabilities", new MigrateSetCapabilitiesArguments(capabilities), Json.MigrateSetCapabilitiesArguments);

    /// <summary>Sets migration parameters, named as in QEMU's <c>MigrateSetParameters</c>.</summary>
    public void MigrateSetParameters(Dictionary<string, JsonElement> parameters) =>
        Execute("migrate-set-parameters", parameters, Json.DictionaryStringJsonElement);

    /// <summary>Writes <paramref name="size"/> bytes of guest physical memory from <paramref name="address"/> to a host file.</summary>
    public void Pmemsave(long address, long size, string fileName) =>
        Execute("pmemsave", new PmemsaveArguments(address, size, fileName), Json.PmemsaveArguments);
}
