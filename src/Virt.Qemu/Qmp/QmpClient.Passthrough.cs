using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Virt.Qemu.Qmp;

// Passthrough for callers who need a command the typed layer lacks (libvirt-qemu's
// virDomainQemuMonitorCommand): HMP text, or QMP JSON in and JSON out.
internal sealed partial class QmpClient
{
    /// <summary>Runs an HMP command through <c>human-monitor-command</c> and returns its text output.</summary>
    /// <exception cref="QmpCommandException">QEMU rejected the QMP command itself.</exception>
    /// <exception cref="QmpConnectionException">The connection is broken.</exception>
    /// <exception cref="VirtException">Timed out or cancelled.</exception>
    public string HumanMonitorCommand(string commandLine, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        return Execute("human-monitor-command", new HumanMonitorCommandArguments(commandLine), Json.HumanMonitorCommandArguments, Json.String, timeout, cancellationToken);
    }

    /// <summary>
    /// Sends a QMP command given as JSON text (<c>{"execute":...,"arguments":...}</c>, optionally with
    /// an <c>id</c>) and returns QEMU's reply as JSON text, <c>return</c> or <c>error</c> alike, with the
    /// caller's id (if any) in place of the client's own.
    /// </summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.InvalidArg"/> when the text is no command object;
    /// timed out or cancelled.</exception>
    /// <exception cref="QmpConnectionException">The connection is broken.</exception>
    public string ExecuteRaw(string json, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument request;
        try
        {
            request = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, QmpMessages.RawNotACommand(e.Message), e);
        }

        using (request)
        {
            var root = request.RootElement;
            bool outOfBand = false;
            if (root.ValueKind != JsonValueKind.Object
                || !(root.TryGetProperty("execute"u8, out var execute) || (outOfBand = root.TryGetProperty("exec-oob"u8, out execute)))
                || execute.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(execute.GetString()))
            {
                throw new VirtException(VirtErrorCode.InvalidArg, QmpMessages.RawNotACommand("got " + Shorten(json)));
            }

            JsonElement? arguments = root.TryGetProperty("arguments"u8, out var a) ? a : null;
            if (arguments is { ValueKind: not JsonValueKind.Object })
            {
                throw new VirtException(VirtErrorCode.InvalidArg, QmpMessages.RawNotACommand("\"arguments\" must be an object"));
            }

            JsonElement? callerId = root.TryGetProperty("id"u8, out var id) ? id : null;
            using var reply = Connection.ExecuteUnchecked(execute.GetString()!, arguments, outOfBand, timeout, cancellationToken);
            return RewriteId(reply.RootElement, callerId);
        }
    }

    // The reply goes back to a caller as text, not into HTML: keep QEMU's characters as they are.
    private static readonly JsonWriterOptions RawWriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string RewriteId(JsonElement reply, JsonElement? callerId)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, RawWriterOptions))
        {
            writer.WriteStartObject();
            foreach (var member in reply.EnumerateObject())
            {
                if (!member.NameEquals("id"u8))
                {
                    member.WriteTo(writer);
                }
            }

            if (callerId is { } id)
            {
                writer.WritePropertyName("id"u8);
                id.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "..." : text;
}
