using Virt.Remote.Xdr;

namespace Virt.Remote.Rpc;

/// <summary>Decodes virNetMessageError (remote_error), the payload of every reply with status ERROR.</summary>
internal static class RemoteError
{
    /// <summary>VIR_FROM_RPC.</summary>
    public const int ErrorDomainRpc = 7;

    /// <summary>VIR_FROM_REMOTE.</summary>
    public const int ErrorDomainRemote = 13;

    /// <summary>VIR_ERR_ERROR.</summary>
    public const int ErrorLevelError = 2;

    /// <summary>Whether <paramref name="ex"/> is a daemon's answer to a procedure it does not know (see <see cref="Read"/>).</summary>
    public static bool IsUnknownProcedure(VirtException ex) =>
        ex.Code == VirtErrorCode.NoSupport && ex.Message.StartsWith("unknown procedure", StringComparison.Ordinal);

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

        // As libvirt's client (virNetClientProgramDispatchError): a daemon that does not know a procedure answers with
        // an RPC error "unknown procedure: N", which callers see as "not supported" so that they can fall back to an
        // older call.
        if (domain is ErrorDomainRpc or ErrorDomainRemote && code == (int)VirtErrorCode.Rpc && level == ErrorLevelError
            && message is not null && message.StartsWith("unknown procedure", StringComparison.Ordinal))
        {
            code = (int)VirtErrorCode.NoSupport;
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
