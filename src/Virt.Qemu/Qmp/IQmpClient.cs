using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Virt.Qemu.Qmp;

/// <summary>
/// The monitor as the driver sees it: <see cref="QmpClient"/> implements it; driver tests mock it
/// (Moq, through <c>DynamicProxyGenAssembly2</c>) to play a misbehaving QEMU. Members throw what
/// <see cref="QmpClient"/>'s members document.
/// </summary>
internal interface IQmpClient : IDisposable
{
    QmpGreeting Greeting { get; }

    /// <summary>Where the connection underneath is in its life.</summary>
    QmpState State { get; }

    IDisposable Subscribe(QmpEventFilter filter, Action<QmpEvent> handler, Action<QmpConnectionException>? onBroken = null);

    QmpEventQueue SubscribeQueue(QmpEventFilter filter);

    void Execute(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    void Execute<TArguments>(string command, TArguments arguments, JsonTypeInfo<TArguments> argumentsType, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    TResult Query<TResult>(string command, JsonTypeInfo<TResult> resultType, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    TResult Execute<TArguments, TResult>(string command, TArguments arguments, JsonTypeInfo<TArguments> argumentsType, JsonTypeInfo<TResult> resultType, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    StatusInfo QueryStatus(CancellationToken cancellationToken = default);

    VersionInfo QueryVersion();

    void Stop();

    void Cont();

    void Quit();

    void SystemPowerdown();

    IReadOnlyList<BlockInfo> QueryBlock();

    IReadOnlyList<BlockDeviceInfo> QueryNamedBlockNodes();

    void BlockdevAdd(JsonElement options);

    void BlockdevDel(string nodeName);

    void BlockdevSnapshot(string node, string overlay);

    void Transaction(IReadOnlyList<TransactionAction> actions);

    IReadOnlyList<JobInfo> QueryJobs();

    void JobDismiss(string jobId);

    void JobCancel(string jobId);

    void Migrate(string uri);

    MigrationInfo QueryMigrate();

    void MigrateSetCapabilities(IReadOnlyList<MigrationCapabilityStatus> capabilities);

    void MigrateSetParameters(Dictionary<string, JsonElement> parameters);

    void Pmemsave(long address, long size, string fileName);

    void SnapshotSave(string jobId, string tag, string vmstateNode, IReadOnlyList<string> devices, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default);

    void SnapshotLoad(string jobId, string tag, string vmstateNode, IReadOnlyList<string> devices, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default);

    void SnapshotDelete(string jobId, string tag, IReadOnlyList<string> devices, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default);

    void BlockCommit(string jobId, string device, string topNode, string baseNode, long speed = 0, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default);

    void BlockCommitActive(string jobId, string device, string baseNode, long speed = 0, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default, Action? beforePivot = null);

    void BlockStream(string jobId, string device, string? baseNode, long speed = 0, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default);

    void JobComplete(string jobId);

    void BlockdevCreate(string jobId, JsonElement options, IProgress<VirtProgress>? progress = null, CancellationToken cancellationToken = default);

    string HumanMonitorCommand(string commandLine, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    string ExecuteRaw(string json, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    bool HasCommand(string name);

    bool HasEvent(string name);

    bool SupportsSnapshotJobs { get; }
}
