using System.Buffers.Binary;
using System.Text;

namespace Virt.Remote.Xdr;

/// <summary>
/// Encodes values in XDR (RFC 4506) as libvirt's RPC uses it: big-endian 4-byte units, 8-byte hypers,
/// strings and opaques as a length then the bytes padded with zeros to a multiple of four.
/// </summary>
internal sealed class XdrWriter
{
    private byte[] _buffer;
    private int _length;

    public XdrWriter(int capacity = 256) => _buffer = new byte[Math.Max(capacity, 16)];

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public int Length => _length;

    /// <summary>The bytes written so far, for an asynchronous write.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>The size of the buffer held.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Forgets what was written, keeping the buffer for the next message.</summary>
    public void Reset() => _length = 0;

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Reserve(8), value);

    public void WriteBool(bool value) => WriteInt32(value ? 1 : 0);

    /// <summary>A non-null string: its UTF-8 length, the bytes, then padding.</summary>
    public void WriteString(string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)count);
        var span = Reserve(Padded(count));
        int written = Encoding.UTF8.GetBytes(value, span);
        span[written..].Clear();
    }

    /// <summary>A nullable string (XDR optional-data): a boolean, then the string when present.</summary>
    public void WriteOptionalString(string? value)
    {
        WriteBool(value is not null);
        if (value is not null)
        {
            WriteString(value);
        }
    }

    /// <summary>Fixed-length opaque data: the bytes then padding, no length.</summary>
    public void WriteFixedOpaque(ReadOnlySpan<byte> value)
    {
        var span = Reserve(Padded(value.Length));
        value.CopyTo(span);
        span[value.Length..].Clear();
    }

    /// <summary>Variable-length opaque data: its length, the bytes, then padding.</summary>
    public void WriteOpaque(ReadOnlySpan<byte> value)
    {
        WriteUInt32((uint)value.Length);
        WriteFixedOpaque(value);
    }

    /// <summary>Overwrites a 4-byte big-endian value already written (the message length).</summary>
    public void PatchUInt32(int offset, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(offset, 4), value);

    private static int Padded(int count) => (count + 3) & ~3;

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
