namespace Virt.Remote.Transport;

/// <summary>Opens the byte stream a remote URI's transport names.</summary>
internal static class TransportConnector
{
    /// <summary>libvirtd's system socket, spelled as libvirt spells it (also on the remote side of ssh).</summary>
    public const string SystemSocket = "/var/run/libvirt/libvirt-sock";

    public static Stream Connect(RemoteTarget target, string path, TimeSpan timeout) => target.Transport switch
    {
        "unix" => SocketTransport.ConnectUnix(UnixSocketPath(target, path), timeout),
        "tcp" => SocketTransport.ConnectTcp(target.Host.Length == 0 ? "localhost" : target.Host, target.Port ?? RemoteTarget.DefaultTcpPort, timeout),
        "ext" => ConnectExternal(target),
        "ssh" => ConnectSsh(target, path),
        "tls" => TlsTransport.Connect(target, timeout),
        "libssh" or "libssh2" => throw new VirtException(VirtErrorCode.NoConnect,
            $"the {target.Transport} transport is not supported by Virt.Remote yet; use unix, tcp, tls, ssh or ext"),
        _ => throw new VirtException(VirtErrorCode.InvalidArg,
            "remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)"),
    };

    /// <summary>
    /// The ext transport: <c>?command=</c> names a program run without a shell and without arguments (as libvirt
    /// runs it), whose standard input and output carry the protocol.
    /// </summary>
    private static ProcessStream ConnectExternal(RemoteTarget target)
    {
        if (!target.Parameters.TryGetValue("command", out string? command) || command.Length == 0)
        {
            throw new VirtException(VirtErrorCode.InvalidArg, "remote_open: for 'ext' transport, command is required");
        }

        return ProcessStream.Start(command, []);
    }

    /// <summary>The ssh transport: the ssh program, which runs virt-ssh-helper or nc on the host (<see cref="SshCommand"/>).</summary>
    private static ProcessStream ConnectSsh(RemoteTarget target, string path)
    {
        // As libvirt does, the remote socket is computed here: ?socket=, else the system socket, or for /session
        // the path under this user's runtime directory.
        var (program, arguments) = SshCommand.Build(target, UnixSocketPath(target, path));
        return ProcessStream.Start(program, arguments);
    }

    /// <summary>The socket: <c>?socket=</c>, else the session daemon's under XDG_RUNTIME_DIR for <c>/session</c>, else the system daemon's.</summary>
    public static string UnixSocketPath(RemoteTarget target, string path)
    {
        if (target.Parameters.TryGetValue("socket", out string? socket))
        {
            return socket;
        }

        if (path == "/session")
        {
            string runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } dir
                ? dir
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(runtime, "libvirt", "libvirt-sock");
        }

        return SystemSocket;
    }
}
