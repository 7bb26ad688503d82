using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Virt.Qemu.Qmp;

/// <summary>Frames a command as one QMP line: <c>{"execute":...,"arguments":...,"id":N}\n</c>.</summary>
internal static class QmpCommandWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    /// <summary>
    /// Writes the command into a per-thread buffer and returns it; valid until the thread writes the next command.
    /// </summary>
    public static ReadOnlyMemory<byte> Write(string command, long id, object? arguments, JsonTypeInfo? argumentsType, bool outOfBand = false)
    {
        var writer = Begin(command, outOfBand);
        if (argumentsType is not null)
        {
            writer.WritePropertyName("arguments"u8);
            JsonSerializer.Serialize(writer, arguments, argumentsType);
        }

        return End(writer, id);
    }

    /// <summary>Writes a command whose arguments are already JSON text (raw passthrough).</summary>
    public static ReadOnlyMemory<byte> WriteRaw(string command, long id, JsonElement? arguments, bool outOfBand)
    {
        var writer = Begin(command, outOfBand);
        if (arguments is { } args)
        {
            writer.WritePropertyName("arguments"u8);
            args.WriteTo(writer);
        }

        return End(writer, id);
    }

    /// <summary>Resets the per-thread buffer and writer and opens the command object with its <c>execute</c> (or <c>exec-oob</c>) member.</summary>
    private static Utf8JsonWriter Begin(string command, bool outOfBand)
    {
        var buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = _threadWriter ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false });
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString(outOfBand ? "exec-oob"u8 : "execute"u8, command);
        return writer;
    }

    /// <summary>Closes the command object with its <c>id</c> and the line break; returns the per-thread buffer's contents.</summary>
    private static ReadOnlyMemory<byte> End(Utf8JsonWriter writer, long id)
    {
        writer.WriteNumber("id"u8, id);
        writer.WriteEndObject();
        writer.Flush();
        var buffer = _threadBuffer!;
        buffer.Write("\n"u8);
        return buffer.WrittenMemory;
    }
}
