using System.Buffers.Binary;
using Virt.Remote.Xdr;

namespace Virt.Remote.Rpc;

/// <summary>
/// libvirt's message framing: a 4-byte big-endian length that counts itself, the 24-byte header, then the XDR
/// payload; at most VIR_NET_MESSAGE_MAX (16 MiB) after the length word, in either direction.
/// </summary>
internal static class RpcFrame
{
    /// <summary>VIR_NET_MESSAGE_LEN_MAX: the length word.</summary>
    public const int LengthSize = 4;

    /// <summary>VIR_NET_MESSAGE_MAX: the largest message, header and payload, not counting the length word.</summary>
    public const int MaxMessage = 16 * 1024 * 1024;

    /// <summary>Encodes a whole message, length word included.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.Rpc"/> when the payload makes it larger than <see cref="MaxMessage"/>.</exception>
    public static byte[] Encode(RpcHeader header, Action<XdrWriter>? payload)
    {
        var writer = new XdrWriter();
        EncodeInto(writer, header, payload);
        return writer.Written.ToArray();
    }

    /// <summary>Encodes a whole message, length word included, into <paramref name="writer"/> after resetting it.</summary>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.Rpc"/> when the payload makes it larger than <see cref="MaxMessage"/>.</exception>
    public static void EncodeInto(XdrWriter writer, RpcHeader header, Action<XdrWriter>? payload)
    {
        writer.Reset();
        writer.WriteUInt32(0);
        header.Write(writer);
        payload?.Invoke(writer);
        int total = writer.Length;
        if (total - LengthSize > MaxMessage)
        {
            throw new VirtException(VirtErrorCode.Rpc, $"message length {total - LengthSize} too large, want at most {MaxMessage}");
        }

        writer.PatchUInt32(0, (uint)total);
    }

    /// <summary>The body length (header and payload) a length word announces, checked as libvirt checks it.</summary>
    /// <exception cref="XdrException">The length is below the header's size or above <see cref="MaxMessage"/>.</exception>
    public static int BodyLength(ReadOnlySpan<byte> lengthWord)
    {
        uint length = BinaryPrimitives.ReadUInt32BigEndian(lengthWord);
        if (length < LengthSize + RpcHeader.Size)
        {
            throw new XdrException($"packet {length} bytes received from server too small, want {LengthSize + RpcHeader.Size}");
        }

        if (length - LengthSize > MaxMessage)
        {
            throw new XdrException($"packet {length - LengthSize} bytes received from server too large, want {MaxMessage}");
        }

        return (int)(length - LengthSize);
    }
}
