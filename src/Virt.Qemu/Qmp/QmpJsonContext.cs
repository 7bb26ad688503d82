using System.Text.Json;
using System.Text.Json.Serialization;

namespace Virt.Qemu.Qmp;

/// <summary>Source-generated (reflection-free) JSON metadata for every QMP shape the client uses.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QmpCapabilitiesArguments))]
[JsonSerializable(typeof(HumanMonitorCommandArguments))]
[JsonSerializable(typeof(NodeNameArguments))]
[JsonSerializable(typeof(BlockdevSnapshotArguments))]
[JsonSerializable(typeof(TransactionArguments))]
[JsonSerializable(typeof(SnapshotSaveArguments))]
[JsonSerializable(typeof(SnapshotDeleteArguments))]
[JsonSerializable(typeof(BlockdevCreateArguments))]
[JsonSerializable(typeof(JobIdArguments))]
[JsonSerializable(typeof(BlockCommitArguments))]
[JsonSerializable(typeof(BlockStreamArguments))]
[JsonSerializable(typeof(MigrateArguments))]
[JsonSerializable(typeof(MigrateSetCapabilitiesArguments))]
[JsonSerializable(typeof(PmemsaveArguments))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(StatusInfo))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(List<BlockInfo>))]
[JsonSerializable(typeof(List<BlockDeviceInfo>))]
[JsonSerializable(typeof(List<JobInfo>))]
[JsonSerializable(typeof(MigrationInfo))]
[JsonSerializable(typeof(List<SchemaInfo>))]
[JsonSerializable(typeof(string))]
internal sealed partial class QmpJsonContext : JsonSerializerContext;
