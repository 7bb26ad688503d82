using Virt.Remote.Xdr;

namespace Virt.Remote.Rpc;

/// <summary>Decodes virNetMessageError (remote_error), the payload of every reply with status ERROR.</summary>
internal static class RemoteError
{
    public static RemoteVirtException Read(ref XdrReader reader)
    {
        int code = reader.ReadInt32();
        int domain = reader.ReadInt32();
        string? message = reader.ReadOptionalString();
        int level = reader.ReadInt32();
        if (reader.ReadBool())
        {
            reader.ReadString();
            reader.ReadFixedOpaque(16);
            reader.ReadInt32();
        }

        reader.ReadOptionalString();
        reader.ReadOptionalString();
        reader.ReadOptionalString();
        reader.ReadInt32();
        reader.ReadInt32();
        if (reader.ReadBool())
        {
            reader.ReadString();
            reader.ReadFixedOpaque(16);
        }

        // libvirt's client says this when the daemon sent no message (virNetClientProgramDispatchError).
        return RemoteVirtException.FromRemote((VirtErrorCode)code, domain, level, message ?? "Unknown error");
    }
}
