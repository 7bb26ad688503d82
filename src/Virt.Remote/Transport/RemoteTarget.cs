using System.Text;

namespace Virt.Remote.Transport;

/// <summary>
/// What a remote URI says, as libvirt's remote driver reads it: the transport (<c>unix</c> without a host, <c>tls</c>
/// with one, unless the scheme names it), the user, host and port, the remote driver's own parameters, and the URI
/// the daemon is asked to open: the URI without transport, host and those parameters, or <c>?name=</c>.
/// </summary>
internal sealed record RemoteTarget(string Transport, string? User, string Host, int? Port, string? DaemonUri, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The parameters libvirt's remote driver consumes itself (remote_driver.c); the rest go to the daemon.</summary>
    private static readonly HashSet<string> RemoteParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "name", "command", "socket", "auth", "sshauth", "netcat", "keyfile", "no_verify", "no_tty", "pkipath",
        "known_hosts", "known_hosts_verify", "tls_priority", "mode", "proxy",
    };

    /// <summary>libvirtd's TCP port (LIBVIRTD_TCP_PORT).</summary>
    public const int DefaultTcpPort = 16509;

    public static RemoteTarget FromUri(VirtUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        string authority = uri.Host;
        string? user = null;
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            user = Uri.UnescapeDataString(authority[..at]);
            authority = authority[(at + 1)..];
        }

        string host = authority;
        int? port = null;
        int colon = authority.LastIndexOf(':');
        if (colon >= 0 && authority.IndexOf(']', colon) < 0)
        {
            if (!int.TryParse(authority.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535)
            {
                throw new VirtException(VirtErrorCode.InvalidArg, $"cannot parse URI '{uri.Original}': port '{authority[(colon + 1)..]}' is not a number from 1 to 65535");
            }

            port = p;
            host = authority[..colon];
        }

        host = host.Trim('[', ']');
        string transport = uri.Transport ?? (host.Length > 0 ? "tls" : "unix");
        return new RemoteTarget(transport, user, host, port, DaemonUriOf(uri), uri.Parameters);
    }

    private static string? DaemonUriOf(VirtUri uri)
    {
        if (uri.Parameters.TryGetValue("name", out string? name))
        {
            return name;
        }

        if (uri.Scheme == Virt.Drivers.VirtDriverRegistry.RemoteScheme)
        {
            // remote:// lets the daemon pick its default hypervisor.
            return null;
        }

        var text = new StringBuilder(uri.Scheme).Append("://").Append(uri.Path);
        char separator = '?';
        foreach (var (key, value) in uri.Parameters.Where(p => !RemoteParameters.Contains(p.Key)))
        {
            text.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return text.ToString();
    }
}
