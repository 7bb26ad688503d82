using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Virt.Remote.Tests.Daemon;

/// <summary>
/// A throwaway certificate authority with a server certificate for 127.0.0.1 and a client certificate, written as
/// PEM files in the layout libvirt expects (cacert.pem, servercert.pem, serverkey.pem, clientcert.pem, clientkey.pem).
/// </summary>
internal static class TestPki
{
    public static void Write(string dir)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Virt test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        File.WriteAllText(Path.Combine(dir, "cacert.pem"), ca.ExportCertificatePem());

        Issue(dir, ca, "server", "CN=127.0.0.1", "1.3.6.1.5.5.7.3.1", now, 2);
        Issue(dir, ca, "client", "CN=virt-remote-tests", "1.3.6.1.5.5.7.3.2", now, 3);
    }

    private static void Issue(string dir, X509Certificate2 ca, string role, string subject, string purpose, DateTimeOffset now, byte serial)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(purpose)], false));
        if (role == "server")
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        using var cert = request.Create(ca, now.AddDays(-1), now.AddDays(29), [serial]);
        File.WriteAllText(Path.Combine(dir, role + "cert.pem"), cert.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, role + "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }
}
