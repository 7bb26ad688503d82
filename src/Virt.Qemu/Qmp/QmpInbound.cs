using System.Text.Json;

namespace Virt.Qemu.Qmp;

/// <summary>What a line from QEMU is.</summary>
internal enum QmpInboundKind
{
    Greeting,
    Event,
    Reply,
}

/// <summary>
/// One parsed line from QEMU, classified. Owns <see cref="Document"/> until handed on.
/// The framing layer: it knows greeting, event and reply shapes, nothing about commands.
/// </summary>
internal readonly struct QmpInbound
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    private QmpInbound(QmpInboundKind kind, JsonDocument document, long id)
    {
        Kind = kind;
        Document = document;
        Id = id;
    }

    public QmpInboundKind Kind { get; }

    public JsonDocument Document { get; }

    /// <summary>The reply's id, or -1 when it is not one of ours (not a non-negative integer).</summary>
    public long Id { get; }

    /// <summary>Parses and classifies one line.</summary>
    /// <exception cref="QmpProtocolException">The line is not valid UTF-8 JSON, or no known QMP message.</exception>
    public static QmpInbound Parse(ReadOnlySpan<byte> line)
    {
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            throw new QmpProtocolException(QmpMessages.InvalidUtf8);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray(), DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new QmpProtocolException(QmpMessages.MalformedJson(e.Message), e);
        }

        try
        {
            return Classify(document);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static QmpInbound Classify(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new QmpProtocolException(QmpMessages.NotAnObject);
        }

        if (root.TryGetProperty("QMP"u8, out var greeting))
        {
            if (greeting.ValueKind != JsonValueKind.Object)
            {
                throw new QmpProtocolException(QmpMessages.MalformedField("greeting"));
            }

            return new QmpInbound(QmpInboundKind.Greeting, document, -1);
        }

        if (root.TryGetProperty("event"u8, out var name))
        {
            if (name.ValueKind != JsonValueKind.String)
            {
                throw new QmpProtocolException(QmpMessages.MalformedField("event name"));
            }

            return new QmpInbound(QmpInboundKind.Event, document, -1);
        }

        bool isReturn = root.TryGetProperty("return"u8, out _);
        if (isReturn || root.TryGetProperty("error"u8, out _))
        {
            if (!isReturn)
            {
                ValidateError(root.GetProperty("error"u8));
            }

            if (!root.TryGetProperty("id"u8, out var id))
            {
                throw new QmpProtocolException(QmpMessages.ReplyWithoutId);
            }

            long value = id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out long n) && n >= 0 ? n : -1;
            return new QmpInbound(QmpInboundKind.Reply, document, value);
        }

        throw new QmpProtocolException(QmpMessages.UnknownMessage);
    }

    private static void ValidateError(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object
            || !error.TryGetProperty("class"u8, out var errorClass) || errorClass.ValueKind != JsonValueKind.String
            || !error.TryGetProperty("desc"u8, out var desc) || desc.ValueKind != JsonValueKind.String)
        {
            throw new QmpProtocolException(QmpMessages.MalformedField("error reply"));
        }
    }
}
