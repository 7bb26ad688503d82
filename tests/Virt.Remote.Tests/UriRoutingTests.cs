using Virt.Drivers;
using Virt.Testing;

namespace Virt.Remote.Tests;

/// <summary>A URI with a transport or a host goes to the remote driver, never to an in-process driver of the same scheme.</summary>
public sealed class UriRoutingTests
{
    [Test]
    public void A_transport_without_the_remote_driver_fails_instead_of_opening_the_in_process_driver()
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
    public void A_host_without_a_transport_is_remote_too()
    {
        var registry = new VirtDriverRegistry();
        TestDriver.Register(registry);

        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open("test://somehost/default", new VirtConnectionOptions { Registry = registry }));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoConnect));
    }

    [Test]
    public void With_the_remote_driver_the_socket_is_used_and_its_failure_reported_as_libvirt_does()
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
    public void Without_transport_or_host_the_in_process_driver_still_opens()
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

    [TestCase("tls")]
    [TestCase("libssh")]
    public void Transports_not_served_yet_fail_clearly(string transport)
    {
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry);

        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open($"qemu+{transport}://host.example/system", new VirtConnectionOptions { Registry = registry }));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoConnect));
            Assert.That(ex.Message, Is.EqualTo($"no connection driver available: the {transport} transport is not supported by Virt.Remote yet; use unix, tcp, ssh or ext"));
        });
    }

    [Test]
    public void An_unknown_transport_is_refused_with_libvirts_message()
    {
        var registry = new VirtDriverRegistry();
        RemoteDriver.Register(registry);

        var ex = Assert.Throws<VirtException>(() =>
            VirtConnection.Open("qemu+pigeon://host/system", new VirtConnectionOptions { Registry = registry }));
        Assert.That(ex!.Message, Is.EqualTo("invalid argument: remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)"));
    }
}
