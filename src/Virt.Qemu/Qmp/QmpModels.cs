using System.Text.Json;

namespace Virt.Qemu.Qmp;

// Argument and result shapes of the QMP commands the driver uses, named as in QEMU's
// qapi/*.json (member names become kebab-case through QmpJsonContext's naming policy).

internal sealed record QmpCapabilitiesArguments(IReadOnlyList<string> Enable);

internal sealed record HumanMonitorCommandArguments(string CommandLine);

internal sealed record NodeNameArguments(string NodeName);

internal sealed record BlockdevSnapshotArguments(string Node, string Overlay);

internal sealed record TransactionAction(string Type, JsonElement Data);

internal sealed record TransactionArguments(IReadOnlyList<TransactionAction> Actions);

internal sealed record SnapshotSaveArguments(string JobId, string Tag, string Vmstate, IReadOnlyList<string> Devices);

internal sealed record SnapshotDeleteArguments(string JobId, string Tag, IReadOnlyList<string> Devices);

internal sealed record BlockdevCreateArguments(string JobId, JsonElement Options);

internal sealed record JobIdArguments(string Id);

/// <summary><c>block-commit</c>: <c>TopNode</c> null commits the active layer. <c>AutoDismiss</c> is written as false.</summary>
internal sealed record BlockCommitArguments(string JobId, string Device, string? TopNode, string BaseNode, long? Speed, bool AutoDismiss = false);

/// <summary><c>block-stream</c>: <c>BaseNode</c> null streams the whole chain. <c>AutoDismiss</c> is written as false.</summary>
internal sealed record BlockStreamArguments(string JobId, string Device, string? BaseNode, long? Speed, bool AutoDismiss = false);

internal sealed record MigrateArguments(string Uri);

internal sealed record MigrationCapabilityStatus(string Capability, bool State);

internal sealed record MigrateSetCapabilitiesArguments(IReadOnlyList<MigrationCapabilityStatus> Capabilities);

internal sealed record PmemsaveArguments(long Val, long Size, string Filename);

/// <summary><c>query-status</c>: whether vCPUs run and QEMU's run state (<c>running</c>, <c>paused</c>, <c>prelaunch</c>, ...).</summary>
internal sealed record StatusInfo(bool Running, string Status);

internal sealed record VersionTriple(int Major, int Minor, int Micro);

/// <summary><c>query-version</c>.</summary>
internal sealed record VersionInfo(VersionTriple Qemu, string Package);

/// <summary>One entry of <c>query-block</c>.</summary>
internal sealed record BlockInfo(string Device, string? Qdev, string Type, bool Removable, bool Locked, BlockDeviceInfo? Inserted);

/// <summary>One entry of <c>query-named-block-nodes</c> (and <c>inserted</c> in <c>query-block</c>).</summary>
internal sealed record BlockDeviceInfo(string? NodeName, string File, string Drv, bool Ro, QmpImageInfo? Image);

/// <summary>
/// QAPI's <c>ImageInfo</c> as QMP reports it for an open block node; not <see cref="Virt.Qemu.Images.ImageInfo"/>,
/// which is what this library reads from an image file itself.
/// </summary>
internal sealed record QmpImageInfo(string Filename, string Format, long VirtualSize, long? ActualSize, IReadOnlyList<QmpSnapshotInfo>? Snapshots, QmpImageInfo? BackingImage);

/// <summary>QAPI's <c>SnapshotInfo</c>: an internal snapshot as QEMU lists it for an open image; not <see cref="Virt.Qemu.Images.ImageSnapshotInfo"/>.</summary>
internal sealed record QmpSnapshotInfo(string Id, string Name, long VmStateSize, long DateSec, long DateNsec, long VmClockSec, long VmClockNsec);

/// <summary>One entry of <c>query-jobs</c>.</summary>
internal sealed record JobInfo(string Id, string Type, string Status, long CurrentProgress, long TotalProgress, string? Error);

internal sealed record MigrationStats(long Transferred, long Remaining, long Total);

/// <summary><c>query-migrate</c>.</summary>
internal sealed record MigrationInfo(string? Status, MigrationStats? Ram, long? TotalTime, string? ErrorDesc);

/// <summary>One entry of <c>query-qmp-schema</c> (only what the capability probe reads).</summary>
internal sealed record SchemaInfo(string Name, string MetaType);
