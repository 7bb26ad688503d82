using Moq;
using Virt.Drivers;

namespace Virt.Core.Tests;

public sealed class VirtConnectionTests
{
    private static readonly DomainIdentity Web = new("web", Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f"));

    [Test]
    public void UnknownSchemeNamesTheRegisteredOnes()
    {
        var registry = new VirtDriverRegistry();
        registry.Register(FactoryFor("test", new Mock<VirtDriver>().Object));
        registry.Register(FactoryFor("qemu", new Mock<VirtDriver>().Object));

        var ex = Assert.Throws<VirtException>(() => VirtConnection.Open("xen:///system", new VirtConnectionOptions { Registry = registry }));

        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoConnect));
        Assert.That(ex.Message, Is.EqualTo("no connection driver available: for xen:///system (registered schemes: qemu, test)"));
    }

    [Test]
    public void EmptyRegistrySaysHowToRegister()
    {
        var ex = Assert.Throws<VirtException>(() => VirtConnection.Open("test:///default", new VirtConnectionOptions { Registry = new VirtDriverRegistry() }));

        Assert.That(ex!.Message, Does.Contain("no driver is registered; register one first, for example with Virt.Testing.TestDriver.Register()"));
    }

    [Test]
    public void FactoryReceivesParsedUriAndOptions()
    {
        var factory = new Mock<VirtDriverFactory>();
        factory.SetupGet(f => f.Scheme).Returns("qemu");
        VirtUri? seen = null;
        factory.Setup(f => f.Open(It.IsAny<VirtUri>(), It.IsAny<VirtConnectionOptions>()))
            .Callback<VirtUri, VirtConnectionOptions>((u, _) => seen = u)
            .Returns(new Mock<VirtDriver>().Object);
        var registry = new VirtDriverRegistry();
        registry.Register(factory.Object);

        using var conn = VirtConnection.Open("qemu:///embed?root=/tmp/x", new VirtConnectionOptions { Registry = registry });

        Assert.That(conn.Uri, Is.EqualTo("qemu:///embed?root=/tmp/x"));
        Assert.That(seen!.Parameters["root"], Is.EqualTo("/tmp/x"));
    }

    [Test]
    public void DefaultUriComesFromEnvironment()
    {
        var registry = new VirtDriverRegistry();
        registry.Register(FactoryFor("test", new Mock<VirtDriver>().Object));
        string? old = Environment.GetEnvironmentVariable(VirtConnection.DefaultUriVariable);
        try
        {
            Environment.SetEnvironmentVariable(VirtConnection.DefaultUriVariable, "test:///default");
            using var conn = VirtConnection.Open(null, new VirtConnectionOptions { Registry = registry });
            Assert.That(conn.Uri, Is.EqualTo("test:///default"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(VirtConnection.DefaultUriVariable, old);
        }
    }

    [Test]
    public void UnimplementedDriverMembersAreOperationUnsupported()
    {
        using var conn = Open(new MinimalDriver());

        var ex = Assert.Throws<VirtException>(() => conn.LookupDomainByName("web"));

        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationUnsupported));
        Assert.That(ex.Message, Is.EqualTo("Operation not supported: LookupDomainByName is not supported by the Minimal driver"));
    }

    [Test]
    public void HandlesDelegateToTheDriverWithTheirIdentity()
    {
        var driver = new Mock<VirtDriver> { CallBase = true };
        driver.Setup(d => d.LookupDomainByName("web")).Returns(Web);
        driver.Setup(d => d.GetDomainState(Web)).Returns(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User));
        driver.Setup(d => d.ResumeDomain(Web));
        driver.Setup(d => d.StartDomain(Web, DomainStartFlags.Paused, CancellationToken.None));
        using var conn = Open(driver.Object);

        var dom = conn.LookupDomainByName("web");
        dom.Resume();
        dom.Start(DomainStartFlags.Paused);

        Assert.Multiple(() =>
        {
            Assert.That(dom.Uuid, Is.EqualTo(Web.Uuid));
            Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, 1)));
            Assert.That(dom.IsActive, Is.True);
        });
        driver.Verify(d => d.ResumeDomain(Web), Times.Once);
        driver.Verify(d => d.StartDomain(Web, DomainStartFlags.Paused, CancellationToken.None), Times.Once);
    }

    [Test]
    public void NoCurrentSnapshotIsNoDomainSnapshot()
    {
        var driver = new Mock<VirtDriver> { CallBase = true };
        driver.Setup(d => d.LookupDomainByName("web")).Returns(Web);
        driver.Setup(d => d.GetCurrentSnapshot(Web)).Returns((SnapshotIdentity?)null);
        using var conn = Open(driver.Object);
        var dom = conn.LookupDomainByName("web");

        var ex = Assert.Throws<VirtException>(() => dom.GetCurrentSnapshot());

        Assert.That(dom.HasCurrentSnapshot, Is.False);
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoDomainSnapshot));
        Assert.That(ex.Message, Is.EqualTo("Domain snapshot not found: the domain does not have a current snapshot"));
    }

    [Test]
    public void RootSnapshotHasNoParent()
    {
        var driver = new Mock<VirtDriver> { CallBase = true };
        var s1 = new SnapshotIdentity(Web, "s1");
        driver.Setup(d => d.LookupDomainByName("web")).Returns(Web);
        driver.Setup(d => d.LookupSnapshot(Web, "s1")).Returns(s1);
        driver.Setup(d => d.GetSnapshotParent(s1)).Returns((SnapshotIdentity?)null);
        using var conn = Open(driver.Object);

        var snap = conn.LookupDomainByName("web").LookupSnapshot("s1");
        var ex = Assert.Throws<VirtException>(() => snap.GetParent());

        Assert.That(ex!.Message, Is.EqualTo("Domain snapshot not found: snapshot 's1' does not have a parent"));
    }

    [Test]
    public void DisposedConnectionRefusesCallsAndDisposesDriverOnce()
    {
        var driver = new CountingDriver();
        var conn = Open(driver);
        var dom = new VirtDomain(conn, Web);

        conn.Dispose();
        conn.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(driver.DisposeCount, Is.EqualTo(1));
            Assert.That(conn.IsAlive, Is.False);
            Assert.Throws<ObjectDisposedException>(() => conn.ListAllDomains());
            Assert.Throws<ObjectDisposedException>(() => dom.Suspend());
        });
    }

    [Test]
    public void ConnectionClosedFromManyThreadsAtOnceDisposesDriverOnce()
    {
        var driver = new CountingDriver();
        var conn = Open(driver);
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            conn.Dispose();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.That(driver.DisposeCount, Is.EqualTo(1));
    }

    [Test]
    public void NullArgumentsAreRejectedBeforeTheDriver()
    {
        var driver = new Mock<VirtDriver>(MockBehavior.Strict);
        driver.SetupGet(d => d.HypervisorType).Returns("Strict");
        var conn = Open(driver.Object);

        Assert.Throws<ArgumentNullException>(() => conn.DefineDomain(null!));
        Assert.Throws<ArgumentNullException>(() => conn.LookupDomainByName(null!));
    }

    [Test]
    public void ShutdownAndWaitTimesOutWithAClearMessage()
    {
        var driver = new Mock<VirtDriver> { CallBase = true };
        driver.Setup(d => d.GetDomainState(Web)).Returns(new DomainStateInfo(DomainState.Running, 1));
        driver.Setup(d => d.ShutdownDomain(Web, DomainShutdownFlags.Default));
        using var conn = Open(driver.Object);

        var ex = Assert.Throws<VirtException>(() => new VirtDomain(conn, Web).ShutdownAndWait(TimeSpan.FromMilliseconds(120)));

        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
        Assert.That(ex.Message, Is.EqualTo("Timed out during operation: domain 'web' did not shut down within 0.12 s; destroy it to force it off"));
        driver.Verify(d => d.ShutdownDomain(Web, DomainShutdownFlags.Default), Times.Once);
    }

    private static VirtConnection Open(VirtDriver driver)
    {
        var registry = new VirtDriverRegistry();
        registry.Register(FactoryFor("mock", driver));
        return VirtConnection.Open("mock:///", new VirtConnectionOptions { Registry = registry });
    }

    private static VirtDriverFactory FactoryFor(string scheme, VirtDriver driver)
    {
        var factory = new Mock<VirtDriverFactory>();
        factory.SetupGet(f => f.Scheme).Returns(scheme);
        factory.Setup(f => f.Open(It.IsAny<VirtUri>(), It.IsAny<VirtConnectionOptions>())).Returns(driver);
        return factory.Object;
    }

    private sealed class MinimalDriver : VirtDriver
    {
        public override string HypervisorType => "Minimal";
    }

    private sealed class CountingDriver : VirtDriver
    {
        private int _disposeCount;

        public int DisposeCount => Volatile.Read(ref _disposeCount);

        public override string HypervisorType => "Counting";

        protected override void Dispose(bool disposing) => Interlocked.Increment(ref _disposeCount);
    }
}
