using Moq;
using Virt.Cli.Commands;

namespace Virt.Cli.Tests;

/// <summary><c>virt event</c> on a mocked connection: virsh's wording for every event type and detail, the domain
/// filter, and a driver without events.</summary>
[NonParallelizable]
public sealed class EventCommandTests
{
    [Test]
    public void ADriverWithoutEventsFailsAsVirshReports()
    {
        var fake = new FakeHandles();
        fake.Connection.SetupAdd(c => c.DomainLifecycle += It.IsAny<EventHandler<DomainLifecycleEventArgs>>())
            .Throws(new VirtException(VirtErrorCode.NoSupport, "virConnectDomainEventRegisterAny"));

        var result = CliRunner.RunShell(fake.Connection.Object, ["event --all --timeout 1"]);

        Assert.That(result.Stderr, Is.EqualTo("error: this function is not supported by the connection driver: virConnectDomainEventRegisterAny\n"));
        Assert.That(result.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void EveryTypeAndDetailIsPrintedInVirshsWordsAndOtherDomainsAreFilteredOut()
    {
        var fake = new FakeHandles();
        var web = fake.AddDomain("web", 1).Object;
        var other = fake.AddDomain("other", 2).Object;
        (DomainEventType Type, int Detail)[] events =
        [
            (DomainEventType.Defined, 3), (DomainEventType.Undefined, 1), (DomainEventType.Started, 4),
            (DomainEventType.Suspended, 2), (DomainEventType.Suspended, 8), (DomainEventType.Resumed, 3),
            (DomainEventType.Stopped, 5), (DomainEventType.Shutdown, 2), (DomainEventType.PMSuspended, 1),
            (DomainEventType.Crashed, 1), (DomainEventType.Crashed, 9), ((DomainEventType)42, 0),
        ];
        EventCommand.OnWatching = () =>
        {
            fake.Connection.Raise(c => c.DomainLifecycle += null, new DomainLifecycleEventArgs(other, DomainEventType.Started, 0));
            foreach (var (type, detail) in events)
            {
                fake.Connection.Raise(c => c.DomainLifecycle += null, new DomainLifecycleEventArgs(web, type, detail));
            }
        };
        CliRunner.Result result;
        try
        {
            result = CliRunner.RunShell(fake.Connection.Object, ["event --domain web --all --loop --timeout 1"]);
        }
        finally
        {
            EventCommand.OnWatching = null;
        }

        string[] expected =
        [
            "Defined Snapshot", "Undefined Renamed", "Started Event wakeup", "Suspended I/O Error", "Suspended Post-copy Error",
            "Resumed Post-copy", "Stopped Failed", "Shutdown Finished after host request", "PMSuspended Disk", "Crashed Crashloaded",
            "Crashed unknown", "unknown unknown",
        ];
        Assert.That(result.Stdout, Is.EqualTo(string.Concat(expected.Select(e => $"event 'lifecycle' for domain 'web': {e}\n"))
            + "event loop timed out\nevents received: 12\n\n"));
        Assert.That(result.ExitCode, Is.Zero);
    }
}
