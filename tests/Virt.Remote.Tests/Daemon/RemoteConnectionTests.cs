using Virt.Drivers;

namespace Virt.Remote.Tests.Daemon;

/// <summary>The remote driver against a real libvirtd serving test:///default, over TCP and the UNIX socket.</summary>
[TestFixture("tcp")]
[TestFixture("unix")]
public sealed class RemoteConnectionTests(string transport)
{
    private readonly VirtDriverRegistry _registry = new();
    private readonly List<string> _names = [];
    private IVirtConnection _conn = null!;

    private string Uri => transport == "tcp" ? ThrowawayLibvirtd.Shared.TcpUri : ThrowawayLibvirtd.Shared.UnixUri;

    [SetUp]
    public void SetUp()
    {
        RemoteDriver.Register(_registry);
        _conn = VirtConnection.Open(Uri, new VirtConnectionOptions { Registry = _registry });
    }

    [TearDown]
    public void TearDown()
    {
        foreach (string name in _names)
        {
            try
            {
                var dom = _conn.LookupDomainByName(name);
                if (dom.IsActive)
                {
                    dom.Destroy();
                }

                dom.Undefine(DomainUndefineFlags.SnapshotsMetadata);
            }
            catch (VirtException)
            {
            }
        }

        _conn.Dispose();
    }

    private string NewName()
    {
        string name = $"remote-{transport}-{Guid.NewGuid():N}"[..24];
        _names.Add(name);
        return name;
    }

    private static string Xml(string name) => $"""
        <domain type='test'>
          <name>{name}</name>
          <memory unit='KiB'>65536</memory>
          <vcpu>2</vcpu>
          <os><type>hvm</type></os>
        </domain>
        """;

    [Test]
    public void ConnectionFactsComeFromTheDaemon()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_conn.IsAlive, Is.True);
            Assert.That(_conn.HypervisorType, Is.EqualTo("TEST"));
            Assert.That(_conn.GetHostname(), Is.EqualTo(System.Net.Dns.GetHostName()));
            Assert.That(_conn.GetHypervisorVersion(), Is.EqualTo(new Version(0, 0, 2)), "libvirt's test driver reports hypervisor version 2");
        });
    }

    [Test]
    public void CallsOnTheSocketWakeNoOtherThread()
    {
        // A caller reads its own reply: nothing else in the process may wake per call (the runtime's epoll thread
        // used to hand every reply to the thread pool, a second thread's work per call on a small machine).
        var test = _conn.LookupDomainByName("test");
        for (int i = 0; i < 50; i++)
        {
            test.GetState();
        }

        const int Calls = 500;
        long before = ThreadPool.CompletedWorkItemCount;
        for (int i = 0; i < Calls; i++)
        {
            Assert.That(test.GetState().State, Is.EqualTo(DomainState.Running));
        }

        long woken = ThreadPool.CompletedWorkItemCount - before;
        Assert.That(woken, Is.LessThan(Calls / 20), $"{Calls} calls ran {woken} thread pool work items");
    }

    [Test]
    public void TheTestDriversRunningDomainIsListedAndFoundByNameUuidAndId()
    {
        var test = _conn.LookupDomainByName("test");
        Assert.Multiple(() =>
        {
            Assert.That(_conn.ListAllDomains(ListDomainsFlags.Active).Select(d => d.Name), Does.Contain("test"));
            Assert.That(test.Id, Is.EqualTo(1));
            Assert.That(_conn.LookupDomainByUuid(test.Uuid).Name, Is.EqualTo("test"));
            Assert.That(_conn.LookupDomainById(1).Uuid, Is.EqualTo(test.Uuid));
            Assert.That(test.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Running, (int)DomainRunningReason.Unknown)));
        });
    }

    [Test]
    public void ADomainIsDefinedStartedPausedResumedDestroyedAndUndefined()
    {
        string name = NewName();
        var dom = _conn.DefineDomain(Xml(name));
        Assert.Multiple(() =>
        {
            Assert.That(dom.Name, Is.EqualTo(name));
            Assert.That(dom.IsPersistent, Is.True);
            Assert.That(dom.IsActive, Is.False);
            Assert.That(dom.Id, Is.Null);
            Assert.That(dom.Autostart, Is.False);
            Assert.That(dom.IsUpdated, Is.False);
            Assert.That(dom.GetXmlDescription(), Does.Contain($"<name>{name}</name>"));
        });

        dom.Start();
        Assert.That(dom.GetState().State, Is.EqualTo(DomainState.Running));
        Assert.That(dom.Id, Is.Not.Null);
        dom.Suspend();
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Paused, (int)DomainPausedReason.User)));
        dom.Resume();
        var info = dom.GetInfo();
        Assert.Multiple(() =>
        {
            Assert.That(info.State, Is.EqualTo(DomainState.Running));
            Assert.That(info.MaxMemoryKiB, Is.EqualTo(65536));
            Assert.That(info.VirtualCpuCount, Is.EqualTo(2));
        });

        dom.Destroy();
        Assert.That(dom.GetState(), Is.EqualTo(new DomainStateInfo(DomainState.Shutoff, (int)DomainShutoffReason.Destroyed)));
        dom.Undefine();
        var ex = Assert.Throws<VirtException>(() => _conn.LookupDomainByName(name));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoDomain));
            // libvirt's test driver reports a name lookup miss without details (testDomainLookupByName).
            Assert.That(ex.Message, Is.EqualTo("Domain not found"));
            Assert.That(ex.Detail, Is.Empty);
        });
    }

    [Test]
    public void FlagsReachTheDaemon()
    {
        string name = NewName();
        var dom = _conn.DefineDomain(Xml(name), DomainDefineFlags.Validate);

        // libvirt 9.0's test driver does not support starting paused: its refusal proves the flag travelled.
        var ex = Assert.Throws<VirtException>(() => dom.Start(DomainStartFlags.Paused));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(ex.Message, Is.EqualTo("unsupported flags (0x1) in function testDomainCreateWithFlags"));
        });

        dom.Start();
        dom.Destroy(DomainDestroyFlags.Graceful);
        Assert.Multiple(() =>
        {
            Assert.That(dom.IsActive, Is.False);
            Assert.That(dom.GetXmlDescription(DomainXmlFlags.Inactive), Does.Contain($"<name>{name}</name>"));
        });
    }

    [Test]
    public void TheDaemonsErrorsKeepLibvirtsCodeAndMessage()
    {
        string name = NewName();
        var dom = _conn.DefineDomain(Xml(name));
        var ex = Assert.Throws<VirtException>(() => dom.Suspend());
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.InternalError));
            Assert.That(ex.Message, Is.EqualTo($"internal error: domain '{name}' not running"));
            Assert.That(RemoteErrorData.GetErrorDomain(ex), Is.EqualTo(12));
            Assert.That(_conn.IsAlive, Is.True);
        });
    }

    [Test]
    public void SnapshotsAreCreatedListedLookedUpRevertedAndDeleted()
    {
        string name = NewName();
        var dom = _conn.DefineDomain(Xml(name));
        var s1 = dom.CreateSnapshot("<domainsnapshot><name>s1</name></domainsnapshot>");
        var s2 = dom.CreateSnapshot("<domainsnapshot><name>s2</name></domainsnapshot>");
        Assert.Multiple(() =>
        {
            Assert.That(dom.ListSnapshots().Select(s => s.Name).Order(), Is.EqualTo(new[] { "s1", "s2" }));
            Assert.That(dom.ListSnapshots(SnapshotListFlags.Roots).Select(s => s.Name), Is.EqualTo(new[] { "s1" }));
            Assert.That(dom.HasCurrentSnapshot, Is.True);
            Assert.That(dom.GetCurrentSnapshot().Name, Is.EqualTo("s2"));
            Assert.That(s2.IsCurrent, Is.True);
            Assert.That(s1.IsCurrent, Is.False);
            Assert.That(s2.HasMetadata, Is.True);
            Assert.That(s2.GetParent().Name, Is.EqualTo("s1"));
            Assert.That(s1.ListChildren().Select(s => s.Name), Is.EqualTo(new[] { "s2" }));
            Assert.That(dom.LookupSnapshot("s1").GetXmlDescription(), Does.Contain("<name>s1</name>"));
        });

        s1.Revert();
        Assert.That(dom.GetCurrentSnapshot().Name, Is.EqualTo("s1"));
        s1.Delete(SnapshotDeleteFlags.Children);
        Assert.Multiple(() =>
        {
            Assert.That(dom.ListSnapshots(), Is.Empty);
            Assert.That(dom.HasCurrentSnapshot, Is.False);
        });
        var ex = Assert.Throws<VirtException>(() => dom.LookupSnapshot("s1"));
        Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoDomainSnapshot));
    }

    [Test]
    public void CallsFromSeveralThreadsShareOneConnection()
    {
        var test = _conn.LookupDomainByName("test");
        var states = Enumerable.Range(0, 200).AsParallel().WithDegreeOfParallelism(8).Select(_ => test.GetState().State).ToArray();
        Assert.That(states, Is.All.EqualTo(DomainState.Running));
    }

    [Test]
    public void MonitorCommandsTravelInTheQemuProgramAndTheTestDriverRefusesThem()
    {
        var test = _conn.LookupDomainByName("test");
        var ex = Assert.Throws<VirtException>(() => test.MonitorCommand("{\"execute\":\"query-status\"}"));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoSupport));
            Assert.That(ex.Message, Is.EqualTo("this function is not supported by the connection driver: virDomainQemuMonitorCommand"));
            Assert.That(_conn.IsAlive, Is.True);
        });
    }

    [Test]
    public void AnIdleConnectionAnswersTheDaemonsKeepalivePingsAndStaysOpen()
    {
        // The throwaway daemon pings after 1 s idle and drops a client after two unanswered pings (about 3 s).
        Thread.Sleep(TimeSpan.FromSeconds(5));
        Assert.Multiple(() =>
        {
            Assert.That(_conn.IsAlive, Is.True);
            Assert.That(_conn.LookupDomainByName("test").Name, Is.EqualTo("test"));
        });
    }
}
