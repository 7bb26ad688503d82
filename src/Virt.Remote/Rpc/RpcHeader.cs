using Virt.Remote.Xdr;

namespace Virt.Remote.Rpc;

/// <summary>virNetMessageType: what a message is.</summary>
internal enum RpcMessageType
{
    Call = 0,
    Reply = 1,
    Message = 2,
    Stream = 3,
    CallWithFds = 4,
    ReplyWithFds = 5,
}

/// <summary>virNetMessageStatus.</summary>
internal enum RpcStatus
{
    Ok = 0,
    Error = 1,
    Continue = 2,
}

/// <summary>virNetMessageHeader: the 24 bytes after the length word of every message.</summary>
internal readonly record struct RpcHeader(uint Program, uint Version, int Procedure, RpcMessageType Type, uint Serial, RpcStatus Status)
{
    /// <summary>VIR_NET_MESSAGE_HEADER_MAX: the header's encoded size.</summary>
    public const int Size = 24;

    public void Write(XdrWriter writer)
    {
        writer.WriteUInt32(Program);
        writer.WriteUInt32(Version);
        writer.WriteInt32(Procedure);
        writer.WriteInt32((int)Type);
        writer.WriteUInt32(Serial);
        writer.WriteInt32((int)Status);
    }

    public static RpcHeader Read(ref XdrReader reader) => new(
        reader.ReadUInt32(),
        reader.ReadUInt32(),
        reader.ReadInt32(),
        (RpcMessageType)reader.ReadInt32(),
        reader.ReadUInt32(),
        (RpcStatus)reader.ReadInt32());
}
