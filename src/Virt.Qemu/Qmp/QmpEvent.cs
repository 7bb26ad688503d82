using System.Text.Json;

namespace Virt.Qemu.Qmp;

/// <summary>An asynchronous event from QEMU.</summary>
/// <param name="Name">The event's name, for example <c>STOP</c>.</param>
/// <param name="Data">The event's <c>data</c> member (an empty object when absent); owns no document.</param>
/// <param name="Timestamp">When QEMU raised it.</param>
internal sealed record QmpEvent(string Name, JsonElement Data, DateTimeOffset Timestamp)
{
    /// <summary>A string member of <see cref="Data"/>, or <c>null</c>.</summary>
    public string? GetDataString(string member) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>How many bytes of JSON text the event came as: what it is charged against memory budgets.</summary>
    public int SizeBytes { get; init; }

    /// <summary>This event without its data: what is kept of an early event past the byte budget.</summary>
    internal QmpEvent WithoutData() => new(Name, EmptyObject, Timestamp) { SizeBytes = Name.Length };

    internal static QmpEvent FromDocument(JsonDocument document, int sizeBytes = 0)
    {
        var root = document.RootElement;
        string name = root.GetProperty("event"u8).GetString()!;
        var data = root.TryGetProperty("data"u8, out var d) ? d.Clone() : EmptyObject;
        var timestamp = DateTimeOffset.UnixEpoch;
        if (root.TryGetProperty("timestamp"u8, out var ts) && ts.ValueKind == JsonValueKind.Object
            && ts.TryGetProperty("seconds"u8, out var s) && s.TryGetInt64(out long seconds)
            && ts.TryGetProperty("microseconds"u8, out var us) && us.TryGetInt64(out long micros)
            && seconds is >= 0 and < 253402300799 && micros is >= 0 and < 1_000_000)
        {
            timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(micros * 10);
        }

        return new QmpEvent(name, data, timestamp) { SizeBytes = sizeBytes };
    }

    internal static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
