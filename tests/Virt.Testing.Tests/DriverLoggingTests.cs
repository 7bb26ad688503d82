using Microsoft.Extensions.Logging;
using Virt.Drivers;

namespace Virt.Testing.Tests;

/// <summary>The connection options' logger factory reaches the test driver, which logs its changes with ids from <see cref="VirtLogEvents.Testing"/>.</summary>
public sealed class DriverLoggingTests
{
    [Test]
    public void StateChangesDefinitionsAndConnectionsAreLogged()
    {
        var registry = new VirtDriverRegistry();
        TestDriver.Register(registry);
        var log = new ListLoggerFactory();
        using (var connection = VirtConnection.Open(TestDriver.DefaultUri, new VirtConnectionOptions { Registry = registry, LoggerFactory = log }))
        {
            var m = connection.DefineDomain("<domain type='test'><name>logged</name><memory>1024</memory><os><type>hvm</type></os></domain>");
            m.Start();
            m.Suspend();
            m.Destroy();
            m.Undefine();
        }

        var testing = log.Entries.Where(e => e.Category == "Virt.Testing").Select(e => (e.Level, e.EventId, e.Message)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(testing, Is.EqualTo(new[]
            {
                (LogLevel.Information, VirtLogEvents.Testing.DomainDefined, "domain 'logged' defined"),
                (LogLevel.Information, VirtLogEvents.Testing.DomainStateChanged, "domain 'logged': Shutoff -> Running (reason 1)"),
                (LogLevel.Information, VirtLogEvents.Testing.DomainStateChanged, "domain 'logged': Running -> Paused (reason 1)"),
                (LogLevel.Information, VirtLogEvents.Testing.DomainStateChanged, "domain 'logged': Paused -> Shutoff (reason 2)"),
                (LogLevel.Information, VirtLogEvents.Testing.DomainUndefined, "domain 'logged' undefined"),
            }));
            Assert.That(log.Entries.Where(e => e.Category == "Virt").Select(e => e.EventId),
                Is.EqualTo(new[] { VirtLogEvents.Core.ConnectionOpened, VirtLogEvents.Core.ConnectionClosed }));
        });
    }
}
