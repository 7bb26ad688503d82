using Virt.Drivers;

namespace Virt.Remote.Tests.Daemon;

/// <summary>The tls transport against the throwaway daemon's TLS port, with certificates from a throwaway CA.</summary>
public sealed class TlsTransportTests
{
    private readonly VirtDriverRegistry _registry = new();

    [SetUp]
    public void SetUp() => RemoteDriver.Register(_registry);

    [Test]
    public void TheClientCertificateFromPkipathOpensTheConnection()
    {
        using var conn = VirtConnection.Open(ThrowawayLibvirtd.Shared.TlsUri, new VirtConnectionOptions { Registry = _registry });
        Assert.Multiple(() =>
        {
            Assert.That(conn.HypervisorType, Is.EqualTo("TEST"));
            Assert.That(conn.LookupDomainByName("test").GetState().State, Is.EqualTo(DomainState.Running));
        });
    }

    [Test]
    public void AServerCertificateFromAnotherAuthorityIsRefusedUnlessNoVerify()
    {
        var daemon = ThrowawayLibvirtd.Shared;
        string dir = Directory.CreateTempSubdirectory("virt-remote-pki-").FullName;
        string other = Directory.CreateTempSubdirectory("virt-remote-pki-other-").FullName;
        try
        {
            foreach (string file in new[] { "clientcert.pem", "clientkey.pem" })
            {
                File.Copy(Path.Combine(daemon.PkiPath, file), Path.Combine(dir, file));
            }

            TestPki.Write(other);
            File.Copy(Path.Combine(other, "cacert.pem"), Path.Combine(dir, "cacert.pem"));
            string uri = $"test+tls://127.0.0.1:{daemon.TlsPort}/default?pkipath={Uri.EscapeDataString(dir)}";

            var ex = Assert.Throws<VirtException>(() => VirtConnection.Open(uri, new VirtConnectionOptions { Registry = _registry }));
            Assert.Multiple(() =>
            {
                Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.AuthFailed));
                Assert.That(ex.Message, Does.StartWith("authentication failed: TLS handshake with 127.0.0.1 failed: "));
            });

            using var conn = VirtConnection.Open(uri + "&no_verify=1", new VirtConnectionOptions { Registry = _registry });
            Assert.That(conn.HypervisorType, Is.EqualTo("TEST"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            Directory.Delete(other, recursive: true);
        }
    }

    [Test]
    public void VirshOpensTheSameUri()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("virsh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-q", "-c", ThrowawayLibvirtd.Shared.TlsUri, "domstate", "test" })
        {
            psi.ArgumentList.Add(arg);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(output.Trim(), Is.EqualTo("running"), "the throwaway CA and daemon are what libvirt's own client accepts");
    }
}
