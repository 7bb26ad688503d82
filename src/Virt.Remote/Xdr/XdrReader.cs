using System.Buffers.Binary;
using System.Text;

namespace Virt.Remote.Xdr;

/// <summary>
/// Decodes XDR from one received message. Every length is checked against what remains and against the
/// caller's limit before anything is allocated, so a hostile peer cannot make it allocate or read past the end;
/// a violation throws <see cref="XdrException"/>.
/// </summary>
internal ref struct XdrReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public XdrReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    public bool ReadBool() => ReadUInt32() switch
    {
        0 => false,
        1 => true,
        var other => throw new XdrException($"boolean value {other} is neither 0 nor 1"),
    };

    /// <summary>A non-null string of at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public string ReadString(int maxBytes = XdrLimits.StringMax)
    {
        int count = ReadLength(maxBytes, "string");
        var bytes = TakePadded(count);
        try
        {
            return XdrStrict.Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new XdrException("string is not valid UTF-8", ex);
        }
    }

    public string? ReadOptionalString(int maxBytes = XdrLimits.StringMax) => ReadBool() ? ReadString(maxBytes) : null;

    public ReadOnlySpan<byte> ReadFixedOpaque(int count) => TakePadded(count);

    /// <summary>An array length, checked against <paramref name="max"/>.</summary>
    public int ReadArrayLength(int max, string what) => ReadLength(max, what);

    /// <summary>Throws unless every byte has been consumed.</summary>
    public readonly void EnsureEnd()
    {
        if (Remaining != 0)
        {
            throw new XdrException($"{Remaining} unexpected bytes after the payload");
        }
    }

    private int ReadLength(int max, string what)
    {
        uint count = ReadUInt32();
        if (count > (uint)max)
        {
            throw new XdrException($"{what} length {count} exceeds the limit of {max}");
        }

        return (int)count;
    }

    private ReadOnlySpan<byte> TakePadded(int count)
    {
        int padded = (count + 3) & ~3;
        var span = Take(padded);
        foreach (byte b in span[count..])
        {
            if (b != 0)
            {
                throw new XdrException("non-zero XDR padding");
            }
        }

        return span[..count];
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new XdrException($"message ends {count - Remaining} bytes early");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}

/// <summary>libvirt's limits for decoded values (virnetprotocol.x, remote_protocol.x).</summary>
internal static class XdrLimits
{
    /// <summary>VIR_NET_MESSAGE_STRING_MAX: the longest string in a message.</summary>
    public const int StringMax = 4194304;
}

internal static class XdrStrict
{
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
