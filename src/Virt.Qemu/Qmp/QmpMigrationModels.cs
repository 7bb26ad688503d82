using System.Text.Json.Serialization;

namespace Virt.Qemu.Qmp;

// Argument shapes of the commands that pass descriptors and run migrations (qapi/misc.json, qapi/migration.json).

/// <summary><c>getfd</c> / <c>closefd</c>: the name QEMU files the passed descriptor under.</summary>
internal sealed record FdNameArguments(string Fdname);

/// <summary><c>migrate-set-parameters</c> with only <c>max-bandwidth</c> (bytes per second).</summary>
internal sealed record MaxBandwidthArguments(long MaxBandwidth);

/// <summary>Source-generated JSON metadata for the migration shapes (kept beside <see cref="QmpJsonContext"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.KebabCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FdNameArguments))]
[JsonSerializable(typeof(MaxBandwidthArguments))]
internal sealed partial class QmpMigrationJsonContext : JsonSerializerContext;
