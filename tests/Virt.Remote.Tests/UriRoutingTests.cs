using Virt.Drivers;
using Virt.Testing;

namespace Virt.Remote.Tests;

/// <summary>A URI with a transport or a host goes to the remote driver, never to an in-process driver of the same scheme.</summary>
public sealed class UriRoutingTests
{
    [Test]
    public void ATransportWithoutTheRemoteDriverFailsInsteadOfOpeningTheInProcessDriver()
    {
        var registry = new VirtDriverRegistry();
        TestDriver.Register(registry);

        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open("test+unix:///default?socket=/nonexistent", new VirtConnectionOptions { Registry = registry }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoConnect));
            Assert.That(ex.Message, Is.EqualTo("no connection driver available: for test+unix:///default?socket=/nonexistent "
                + "(a URI with a transport or a host needs the remote driver; register it with Virt.Remote.RemoteDriver.Register())"));
        });
    }

    [Test]
    public void AHostWithoutATransportIsRemoteToo()
    {
        var registry = new VirtDriverRegistry();
        TestDriver.Register(registry);

        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open("test://somehost/default", new VirtConnectionOptions { Registry = registry }));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoConnect));
    }

    [Test]
    public void WithTheRemoteDriverTheSocketIsUsedAndItsFailureReportedAsLibvirtDoes()
    {
        var registry = new VirtDriverRegistry();
        TestDriver.Register(registry);
        RemoteDriver.Register(registry);

        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open("test+unix:///default?socket=/nonexistent", new VirtConnectionOptions { Registry = registry }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.SystemError));
            Assert.That(ex.Message, Is.EqualTo("Failed to connect socket to '/nonexistent': No such file or directory"));
        });
    }

    [Test]
    public void ATcpPortNobodyListensOnIsRefusedAsLibvirtSays()
    {
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry);
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open($"test+tcp://127.0.0.1:{port}/default", new VirtConnectionOptions { Registry = registry }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.SystemError));
            Assert.That(ex.Message, Is.EqualTo($"unable to connect to server at '127.0.0.1:{port}': Connection refused"));
        });
    }

    [Test]
    public void WithoutTransportOrHostTheInProcessDriverStillOpens()
    {
        var registry = new VirtDriverRegistry();
        TestDriver.Register(registry);
        var remote = new Moq.Mock<VirtDriverFactory>();
        remote.SetupGet(f => f.Scheme).Returns(VirtDriverRegistry.RemoteScheme);
        registry.Register(remote.Object);

        using var conn = VirtConnection.Open("test:///default", new VirtConnectionOptions { Registry = registry });
        Assert.That(conn.LookupDomainByName("test").Name, Is.EqualTo("test"));
        remote.Verify(f => f.Open(Moq.It.IsAny<VirtUri>(), Moq.It.IsAny<VirtConnectionOptions>()), Moq.Times.Never);
    }

    [TestCase("libssh")]
    [TestCase("libssh2")]
    public void TransportsNotServedYetFailClearly(string transport)
    {
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry);

        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open($"qemu+{transport}://host.example/system", new VirtConnectionOptions { Registry = registry }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoConnect));
            Assert.That(ex.Message, Is.EqualTo($"no connection driver available: the {transport} transport is not supported by Virt.Remote yet; use unix, tcp, tls, ssh or ext"));
        });
    }

    [Test]
    public void AnUnknownTransportIsRefusedWithLibvirtsMessage()
    {
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry);

        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open("qemu+pigeon://host/system", new VirtConnectionOptions { Registry = registry }));
        Assert.That(ex!.Message, Is.EqualTo("invalid argument: remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)"));
    }
}
