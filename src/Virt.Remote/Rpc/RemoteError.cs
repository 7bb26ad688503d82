using Virt.Remote.Xdr;

namespace Virt.Remote.Rpc;

/// <summary>Decodes virNetMessageError (remote_error), the payload of every reply with status ERROR.</summary>
internal static class RemoteError
{
    public static VirtException Read(ref XdrReader reader)
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

        // libvirt's client says this when the daemon sent no message.
        var ex = ToException((VirtErrorCode)code, message ?? "Unknown error");
        ex.Data[RemoteErrorData.ErrorDomain] = domain;
        ex.Data[RemoteErrorData.Level] = level;
        return ex;
    }

    /// <summary>
    /// The daemon sends the whole message, prefix included. When it has the prefix Virt uses for the code, the
    /// exception is built from the detail after it (so <see cref="VirtException.Detail"/> is right); otherwise the
    /// message is kept exactly as sent.
    /// </summary>
    private static VirtException ToException(VirtErrorCode code, string message)
    {
        string prefix = new VirtException(code, string.Empty).Message;
        string? detail = prefix.Length == 0 ? message
            : message == prefix ? string.Empty
            : message.StartsWith(prefix + ": ", StringComparison.Ordinal) ? message[(prefix.Length + 2)..]
            : null;
        return detail is null ? VirtException.WithoutPrefix(code, message) : new VirtException(code, detail);
    }
}
