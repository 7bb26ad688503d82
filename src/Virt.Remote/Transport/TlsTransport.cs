using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Virt.Remote.Transport;

/// <summary>
/// The tls transport: TCP (port 16514 by default), a TLS handshake with the client certificate and the CA from
/// libvirt's pki paths (<c>?pkipath=DIR</c>, else /etc/pki for root and ~/.pki/libvirt for others), the server's
/// certificate checked against that CA and the host name unless <c>?no_verify=1</c>, then the one status byte the
/// daemon sends once it has checked our certificate (1 when it accepts us), as libvirt's client reads it.
/// </summary>
internal static class TlsTransport
{
    /// <summary>libvirtd's TLS port (LIBVIRTD_TLS_PORT).</summary>
    public const int DefaultPort = 16514;

    public static Stream Connect(RemoteTarget target, TimeSpan timeout)
    {
        var (caFile, certFile, keyFile) = PkiFiles(target);
        X509Certificate2Collection authorities;
        X509Certificate2 client;
        try
        {
            authorities = [];
            authorities.ImportFromPemFile(caFile);
            client = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new VirtException(VirtErrorCode.SystemError, $"Cannot read the TLS credentials ({caFile}, {certFile}, {keyFile}): {ex.Message}", ex);
        }

        bool verify = !(target.Parameters.TryGetValue("no_verify", out string? nv) && nv is not ("" or "0"));
        string host = target.Host.Length == 0 ? "localhost" : target.Host;
        var tcp = SocketTransport.ConnectTcp(host, target.Port ?? DefaultPort, timeout);
        var tls = new SslStream(tcp, leaveInnerStreamOpen: false, (_, certificate, _, errors) => Validate(certificate, errors, authorities, verify));
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ClientCertificates = [client],
            }, cts.Token).GetAwaiter().GetResult();

            // virNetClientSetTLSSession: the daemon writes one byte once it has checked our certificate.
            int status = tls.ReadByte();
            if (status != 1)
            {
                throw new VirtException(VirtErrorCode.Rpc, "server verification (of our certificate or IP address) failed");
            }

            return tls;
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException)
        {
            tls.Dispose();
            throw new VirtException(VirtErrorCode.AuthFailed, $"TLS handshake with {host} failed: {ex.Message}", ex);
        }
        catch
        {
            tls.Dispose();
            throw;
        }
    }

    /// <summary>libvirt's files: cacert.pem, clientcert.pem, clientkey.pem under ?pkipath=, else the system or user pki folders.</summary>
    public static (string Ca, string Cert, string Key) PkiFiles(RemoteTarget target)
    {
        if (target.Parameters.TryGetValue("pkipath", out string? dir) && dir.Length > 0)
        {
            return (Path.Combine(dir, "cacert.pem"), Path.Combine(dir, "clientcert.pem"), Path.Combine(dir, "clientkey.pem"));
        }

        if (Environment.IsPrivilegedProcess)
        {
            return ("/etc/pki/CA/cacert.pem", "/etc/pki/libvirt/clientcert.pem", "/etc/pki/libvirt/private/clientkey.pem");
        }

        string user = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pki", "libvirt");
        return (Path.Combine(user, "cacert.pem"), Path.Combine(user, "clientcert.pem"), Path.Combine(user, "clientkey.pem"));
    }

    private static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities, bool verify)
    {
        if (!verify)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}
