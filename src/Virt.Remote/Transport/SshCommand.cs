using System.Globalization;

namespace Virt.Remote.Transport;

/// <summary>
/// The ssh transport's command line, as libvirt 9.0 builds it (virNetSocketNewConnectSSH, virNetClientSSHHelperCommand):
/// <c>ssh [-p PORT] [-l USER] [-i KEYFILE] -T -e none [-o BatchMode=yes] [-o StrictHostKeyChecking=no] -- HOST COMMAND</c>,
/// where COMMAND runs <c>virt-ssh-helper URI</c> on the host, or <c>nc -U SOCKET</c> where the helper is missing
/// (<c>?proxy=auto|netcat|native</c>). The program is started with an argument array; the only text a shell sees is
/// COMMAND on the remote side, where every value from the URI is quoted twice (once for sshd's shell, once for
/// <c>sh -c</c>), as libvirt quotes them; unlike libvirt, the socket path is quoted too (libvirt splices it as is).
/// <c>?command=</c> names the ssh program.
/// </summary>
internal static class SshCommand
{
    public static (string Program, IReadOnlyList<string> Arguments) Build(RemoteTarget target, string remoteSocket)
    {
        var p = target.Parameters;
        string program = p.TryGetValue("command", out string? command) && command.Length > 0 ? command : "ssh";
        var args = new List<string>();
        if (target.Port is { } port)
        {
            args.AddRange(["-p", port.ToString(CultureInfo.InvariantCulture)]);
        }

        if (target.User is { Length: > 0 } user)
        {
            args.AddRange(["-l", user]);
        }

        if (p.TryGetValue("keyfile", out string? keyfile) && keyfile.Length > 0)
        {
            args.AddRange(["-i", keyfile]);
        }

        args.AddRange(["-T", "-e", "none"]);
        if (IsSet(p, "no_tty"))
        {
            args.AddRange(["-o", "BatchMode=yes"]);
        }

        if (IsSet(p, "no_verify"))
        {
            args.AddRange(["-o", "StrictHostKeyChecking=no"]);
        }

        args.AddRange(["--", target.Host.Length == 0 ? "localhost" : target.Host, HelperCommand(target, remoteSocket)]);
        return (program, args);
    }

    /// <summary>The remote command: virt-ssh-helper, nc, or either (libvirt's auto proxy).</summary>
    public static string HelperCommand(RemoteTarget target, string remoteSocket)
    {
        var p = target.Parameters;
        p.TryGetValue("netcat", out string? netcat);
        string proxy = p.TryGetValue("proxy", out string? mode) ? mode : "auto";
        if (proxy == "auto" && netcat is not null)
        {
            proxy = "netcat";
        }

        string nc = DoubleEscape(netcat ?? "nc");
        string nccmd = $"if '{nc}' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'{nc}' $ARG -U '{DoubleEscape(remoteSocket)}'";
        string helper = $"virt-ssh-helper{(IsSet(p, "readonly") ? " -r " : " ")}'{DoubleEscape(target.DaemonUri ?? string.Empty)}'";
        return proxy switch
        {
            "auto" => $"sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     {helper}; else    {nccmd}; fi'",
            "netcat" => $"sh -c '{nccmd}'",
            "native" when netcat is not null => throw new VirtException(VirtErrorCode.InvalidArg, "netcat path not valid with native proxy mode"),
            "native" => $"sh -c '{helper}'",
            _ => throw new VirtException(VirtErrorCode.InvalidArg, $"Unable to parse value of URI parameter 'proxy': {proxy}"),
        };
    }

    private static bool IsSet(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out string? value) && value is not ("" or "0");

    /// <summary>libvirt's virBufferEscapeShell applied twice: sshd's shell and then <c>sh -c</c> each undo one level.</summary>
    private static string DoubleEscape(string text) => EscapeShell(EscapeShell(text));

    /// <summary>libvirt's virBufferEscapeShell: unchanged when nothing in it is special to a shell, else single-quoted with <c>'</c> as <c>'\''</c>.</summary>
    internal static string EscapeShell(string text)
    {
        if (text.Length == 0)
        {
            return "''";
        }

        if (text.AsSpan().IndexOfAny("\r\t\n !\"#$&'()*;<>?[\\]^`{|}~") < 0)
        {
            return text;
        }

        return "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
