using Virt.Remote.Xdr;

namespace Virt.Remote.Rpc;

/// <summary>A received message: its header and the payload after it.</summary>
internal sealed class RpcInbound(RpcHeader header, byte[] body)
{
    public RpcHeader Header { get; } = header;

    /// <summary>The payload (the body after the header).</summary>
    public ReadOnlySpan<byte> Payload => body.AsSpan(RpcHeader.Size);

    public XdrReader PayloadReader() => new(Payload);
}
