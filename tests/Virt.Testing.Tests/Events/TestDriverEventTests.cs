namespace Virt.Testing.Tests.Events;

/// <summary>
/// The test driver's lifecycle events, each sequence as libvirt 9.0's test driver sends it: seen with
/// <c>virsh event --all --loop</c> on a second connection to a libvirtd serving <c>test:///default</c> while a first
/// one made the calls (see scripts/capture-virsh-events.sh).
/// </summary>
public sealed class TestDriverEventTests : TestConnectionFixture
{
    private const string MarkerXml = "<domain type='test'><name>marker</name><memory>1024</memory><os><type>hvm</type></os></domain>";

    private static readonly string MinimalWithUuidXml = MinimalXml.Replace("<name>m</name>", "<name>m</name><uuid>11111111-2222-3333-4444-555555555555</uuid>", StringComparison.Ordinal);

    private static readonly string RestartXml = MinimalXml.Replace("</domain>", "<on_poweroff>restart</on_poweroff></domain>", StringComparison.Ordinal);

    [Test]
    public void LifecycleCallsSendLibvirtsEventsToAnotherConnection()
    {
        using var log = new EventLog(Open());
        var m = Connection.DefineDomain(MinimalWithUuidXml);
        Connection.DefineDomain(MinimalWithUuidXml);
        m.Start();
        m.Suspend();
        m.Resume();
        m.Shutdown();
        m.Start();
        m.Destroy();
        m.Start();
        m.Undefine();
        m.Destroy();
        Connection.DefineDomain(MarkerXml);

        Assert.That(log.TakeUntilMarker(), Is.EqualTo(new[]
        {
            "m: Defined Added", "m: Defined Updated", "m: Started Booted", "m: Suspended Paused", "m: Resumed Unpaused",
            "m: Stopped Shutdown", "m: Started Booted", "m: Stopped Destroyed", "m: Started Booted", "m: Undefined Removed",
            "m: Stopped Destroyed",
        }));
    }

    [Test]
    public void TheCallingConnectionAndEveryOtherOneSeeTheSameEvents()
    {
        using var own = new EventLog(Connection);
        using var other = new EventLog(Open());
        var test = Connection.LookupDomainByName("test");
        test.Suspend();
        test.Resume();
        Connection.DefineDomain(MarkerXml);

        Assert.That(own.TakeUntilMarker(), Is.EqualTo(new[] { "test: Suspended Paused", "test: Resumed Unpaused" }));
        Assert.That(other.TakeUntilMarker(), Is.EqualTo(new[] { "test: Suspended Paused", "test: Resumed Unpaused" }));
    }

    [Test]
    public void ShutdownThatRestartsSendsNoEvent()
    {
        using var log = new EventLog(Open());
        var m = Connection.DefineDomain(RestartXml);
        m.Start();
        m.Shutdown();
        Connection.DefineDomain(MarkerXml);

        Assert.That(log.TakeUntilMarker(), Is.EqualTo(new[] { "m: Defined Added", "m: Started Booted" }));
    }

    [Test]
    public void StartPausedSendsStartedThenSuspendedAsTheQemuDriverDoes()
    {
        using var log = new EventLog(Open());
        var m = Connection.DefineDomain(MinimalXml);
        m.Start(DomainStartFlags.Paused);
        Connection.DefineDomain(MarkerXml);

        Assert.That(log.TakeUntilMarker(), Is.EqualTo(new[] { "m: Defined Added", "m: Started Booted", "m: Suspended Paused" }));
    }

    [Test]
    public void AutoDestroyOnCloseIsSeenByTheOtherConnections()
    {
        using var log = new EventLog(Connection);
        var starter = Open();
        starter.DefineDomain(MinimalXml).Start(DomainStartFlags.AutoDestroy);
        starter.Dispose();
        Connection.DefineDomain(MarkerXml);

        Assert.That(log.TakeUntilMarker(), Is.EqualTo(new[] { "m: Defined Added", "m: Started Booted", "m: Stopped Destroyed" }));
    }

    [Test]
    public void AHandlerMayCallTheDriverWhileOperationsGoOn()
    {
        var watcher = Open();
        var states = new System.Collections.Concurrent.BlockingCollection<string>();
        watcher.DomainLifecycle += (_, e) => states.Add($"{e.Type} {e.Domain.GetState().State}");
        var test = Connection.LookupDomainByName("test");
        for (int i = 0; i < 20; i++)
        {
            test.Suspend();
            test.Resume();
        }

        var seen = Enumerable.Range(0, 40).Select(_ => states.TryTake(out var s, TimeSpan.FromSeconds(30)) ? s : "none").ToList();
        Assert.That(seen, Has.None.EqualTo("none"));
        Assert.That(seen.Where((_, i) => i % 2 == 0), Is.All.StartsWith("Suspended "));
    }

    [Test]
    public void SnapshotCreateWithHaltSendsStoppedFromSnapshot()
    {
        using var log = new EventLog(Open());
        var m = Connection.DefineDomain(MinimalXml);
        m.Start();
        m.CreateSnapshot("<domainsnapshot><name>s</name></domainsnapshot>", SnapshotCreateFlags.Halt);
        Connection.DefineDomain(MarkerXml);

        Assert.That(log.TakeUntilMarker(), Is.EqualTo(new[] { "m: Defined Added", "m: Started Booted", "m: Stopped FromSnapshot" }));
    }

    /// <summary>What libvirt 9.0's test driver sent for each revert (virsh <c>snapshot-revert</c>, every snapshot state,
    /// domain state and flag), one case per line of the captured matrix.</summary>
    public static IEnumerable<TestCaseData> RevertMatrix()
    {
        const string Stopped = "Stopped FromSnapshot", Started = "Started FromSnapshot", Suspended = "Suspended FromSnapshot";
        object[][] rows =
        [
            ["shutoff", "shutoff", SnapshotRevertFlags.None, Array.Empty<string>()],
            ["shutoff", "shutoff", SnapshotRevertFlags.Running, new[] { Started }],
            ["shutoff", "shutoff", SnapshotRevertFlags.Paused, new[] { Started, Suspended }],
            ["shutoff", "running", SnapshotRevertFlags.None, new[] { Stopped }],
            ["shutoff", "running", SnapshotRevertFlags.Running, new[] { Stopped, Started }],
            ["shutoff", "running", SnapshotRevertFlags.Paused, new[] { Stopped, Started, Suspended }],
            ["shutoff", "paused", SnapshotRevertFlags.None, new[] { Stopped }],
            ["shutoff", "paused", SnapshotRevertFlags.Running, new[] { Stopped, Started }],
            ["shutoff", "paused", SnapshotRevertFlags.Paused, new[] { Stopped, Started, Suspended }],
            ["running", "shutoff", SnapshotRevertFlags.None, new[] { Started }],
            ["running", "shutoff", SnapshotRevertFlags.Running, new[] { Started }],
            ["running", "shutoff", SnapshotRevertFlags.Paused, new[] { Started, Suspended }],
            ["running", "running", SnapshotRevertFlags.None, new[] { Stopped, Started }],
            ["running", "running", SnapshotRevertFlags.Running, new[] { Stopped, Started }],
            ["running", "running", SnapshotRevertFlags.Paused, new[] { Stopped, Started, Suspended }],
            ["running", "paused", SnapshotRevertFlags.None, new[] { Stopped, Started }],
            ["running", "paused", SnapshotRevertFlags.Running, new[] { Stopped, Started }],
            ["running", "paused", SnapshotRevertFlags.Paused, new[] { Stopped, Started, Suspended }],
            ["paused", "shutoff", SnapshotRevertFlags.None, new[] { Started, Suspended }],
            ["paused", "shutoff", SnapshotRevertFlags.Running, new[] { Started }],
            ["paused", "shutoff", SnapshotRevertFlags.Paused, new[] { Started, Suspended }],
            ["paused", "running", SnapshotRevertFlags.None, new[] { Stopped, Started, Suspended }],
            ["paused", "running", SnapshotRevertFlags.Running, new[] { Stopped, Started }],
            ["paused", "running", SnapshotRevertFlags.Paused, new[] { Stopped, Started, Suspended }],
            ["paused", "paused", SnapshotRevertFlags.None, new[] { Stopped, Started, Suspended }],
            ["paused", "paused", SnapshotRevertFlags.Running, new[] { Stopped, Started }],
            ["paused", "paused", SnapshotRevertFlags.Paused, new[] { Stopped, Started, Suspended }],
        ];
        return rows.Select(r => new TestCaseData(r).SetName($"RevertEvents(snapshot {r[0]}, domain {r[1]}, {r[2]})"));
    }

    [TestCaseSource(nameof(RevertMatrix))]
    public void RevertSendsWhatLibvirtsTestDriverSends(string snapshotState, string domainState, SnapshotRevertFlags flags, string[] expected)
    {
        var m = Connection.DefineDomain(MinimalXml);
        Bring(m, snapshotState);
        var snapshot = m.CreateSnapshot("<domainsnapshot><name>s</name></domainsnapshot>");
        if (m.IsActive)
        {
            m.Destroy();
        }

        Bring(m, domainState);
        using var log = new EventLog(Open());
        snapshot.Revert(flags);
        Connection.DefineDomain(MarkerXml);

        Assert.That(log.TakeUntilMarker(), Is.EqualTo(expected.Select(e => "m: " + e)));
    }

    private static void Bring(IVirtDomain domain, string state)
    {
        if (state == "shutoff")
        {
            return;
        }

        domain.Start();
        if (state == "paused")
        {
            domain.Suspend();
        }
    }
}
