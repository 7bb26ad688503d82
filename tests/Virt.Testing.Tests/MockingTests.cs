using Moq;

namespace Virt.Testing.Tests;

/// <summary>A caller's own helper, written against the public interfaces.</summary>
internal static class DomainHousekeeping
{
    /// <summary>Destroys every running or paused domain; returns the names it stopped. Domains that vanish meanwhile are skipped.</summary>
    public static IReadOnlyList<string> StopAllRunning(IVirtConnection connection)
    {
        var stopped = new List<string>();
        foreach (var domain in connection.ListAllDomains(ListDomainsFlags.Active))
        {
            try
            {
                domain.Destroy();
                stopped.Add(domain.Name);
            }
            catch (VirtException ex) when (ex.Code is VirtErrorCode.NoDomain or VirtErrorCode.OperationInvalid)
            {
            }
        }

        return stopped;
    }
}

/// <summary>Shows that callers can mock the public handles with Moq in their own tests, and that the same helper works on the test driver.</summary>
public sealed class MockingTests : TestConnectionFixture
{
    [Test]
    public void HelperDestroysActiveDomainsOfAMockedConnection()
    {
        var web = new Mock<IVirtDomain>(MockBehavior.Strict);
        web.SetupGet(d => d.Name).Returns("web");
        web.Setup(d => d.Destroy(DomainDestroyFlags.Default));
        var db = new Mock<IVirtDomain>(MockBehavior.Strict);
        db.SetupGet(d => d.Name).Returns("db");
        db.Setup(d => d.Destroy(DomainDestroyFlags.Default))
            .Throws(new VirtException(VirtErrorCode.OperationInvalid, "domain is not running"));
        var connection = new Mock<IVirtConnection>(MockBehavior.Strict);
        connection.Setup(c => c.ListAllDomains(ListDomainsFlags.Active)).Returns([web.Object, db.Object]);

        var stopped = DomainHousekeeping.StopAllRunning(connection.Object);

        Assert.That(stopped, Is.EqualTo(new[] { "web" }));
        web.Verify(d => d.Destroy(DomainDestroyFlags.Default), Times.Once);
        db.Verify(d => d.Destroy(DomainDestroyFlags.Default), Times.Once);
    }

    [Test]
    public void HelperLetsUnexpectedFailuresThrough()
    {
        var broken = new Mock<IVirtDomain>();
        broken.SetupGet(d => d.Name).Returns("broken");
        broken.Setup(d => d.Destroy(It.IsAny<DomainDestroyFlags>()))
            .Throws(new VirtException(VirtErrorCode.OperationFailed, "could not kill the process"));
        var connection = new Mock<IVirtConnection>();
        connection.Setup(c => c.ListAllDomains(ListDomainsFlags.Active)).Returns([broken.Object]);

        var ex = Assert.Throws<VirtException>(() => DomainHousekeeping.StopAllRunning(connection.Object));
        Assert.That(ex!.Message, Is.EqualTo("operation failed: could not kill the process"));
    }

    [Test]
    public void SameHelperOnTheTestDriver()
    {
        Connection.DefineDomain(MinimalXml).Start(DomainStartFlags.Paused);
        Connection.DefineDomain(MinimalXml.Replace("<name>m</name>", "<name>off</name>", StringComparison.Ordinal));

        var stopped = DomainHousekeeping.StopAllRunning(Connection);

        Assert.Multiple(() =>
        {
            Assert.That(stopped, Is.EqualTo(new[] { "test", "m" }));
            Assert.That(Connection.ListAllDomains(ListDomainsFlags.Active), Is.Empty);
            Assert.That(Connection.ListAllDomains(ListDomainsFlags.Inactive).Select(d => d.Name), Is.EqualTo(new[] { "m", "off", "test" }));
        });
    }
}
