using Virt.Drivers;
using Virt.Remote.Rpc;
using Virt.Remote.Tests.Daemon;
using Virt.Remote.Xdr;

namespace Virt.Remote.Tests.Rpc;

/// <summary>
/// Daemons older than a procedure answer "unknown procedure: N" (an RPC error); libvirt's client reports it as "not
/// supported", and where libvirt or virsh then make an older call, the driver makes it. The fake daemon plays the old
/// daemon; the real one shows its exact error.
/// </summary>
public sealed class UnknownProcedureTests
{
    private static readonly Guid Uuid = Guid.Parse("6695eb01-f6a4-8304-79aa-97f2502e193f");
    private readonly VirtDriverRegistry _registry = new();
    private FakeDaemon _daemon = null!;

    [SetUp]
    public void SetUp()
    {
        RemoteDriver.Register(_registry, new RemoteDriverOptions { KeepAliveInterval = TimeSpan.Zero });
        _daemon = new FakeDaemon();
    }

    [TearDown]
    public void TearDown() => _daemon.Dispose();

    /// <summary>Opens a façade connection to the fake daemon, which answers the open sequence.</summary>
    private VirtConnection OpenFake(params int[] features)
    {
        var open = Task.Run(() => VirtConnection.Open($"test+unix:///default?socket={_daemon.SocketPath}", new VirtConnectionOptions { Registry = _registry }));
        _daemon.Accept();
        _daemon.ServeOpen(features);
        return open.Result;
    }

    private static void WriteDomain(XdrWriter w, string name, int id)
    {
        w.WriteString(name);
        Span<byte> uuid = stackalloc byte[16];
        Uuid.TryWriteBytes(uuid, bigEndian: true, out _);
        w.WriteFixedOpaque(uuid);
        w.WriteInt32(id);
    }

    [Test]
    public void TheRealDaemonsAnswerToAnUnknownProcedureIsNotSupportedWithItsMessage()
    {
        var target = Transport.RemoteTarget.FromUri(VirtUri.Parse(ThrowawayLibvirtd.Shared.UnixUri));
        using var rpc = new RpcConnection(Transport.TransportConnector.Connect(target, "/default", TimeSpan.FromSeconds(10)),
            new RpcConnectionOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var ex = Assert.Throws<VirtException>(() => rpc.Call(RpcPrograms.Remote, RpcPrograms.RemoteVersion, 9999, null));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.NoSupport));
            Assert.That(ex.Message, Is.EqualTo("unknown procedure: 9999"));
            Assert.That(ex.Data[RemoteErrorData.ErrorDomain], Is.EqualTo(RemoteError.ErrorDomainRpc));
            Assert.That(rpc.IsOpen, Is.True);
        });
    }

    [Test]
    public void ListingDomainsFallsBackToTheOldListsWhenListAllIsUnknown()
    {
        using var conn = OpenFake();
        var list = Task.Run(() => conn.ListAllDomains(ListDomainsFlags.Active).Select(d => d.Name).ToArray());
        var procedures = new List<int>();

        var call = _daemon.ReadCall(out _);
        procedures.Add(call.Procedure);
        _daemon.ReplyUnknownProcedure(call);
        call = _daemon.ReadCall(out _);
        procedures.Add(call.Procedure);
        _daemon.Reply(call, w => w.WriteInt32(1));
        call = _daemon.ReadCall(out byte[] maxIds);
        procedures.Add(call.Procedure);
        _daemon.Reply(call, w =>
        {
            w.WriteInt32(1);
            w.WriteInt32(7);
        });
        call = _daemon.ReadCall(out byte[] byId);
        procedures.Add(call.Procedure);
        _daemon.Reply(call, w => WriteDomain(w, "old", 7));

        Assert.Multiple(() =>
        {
            Assert.That(list.Result, Is.EqualTo(new[] { "old" }));
            // CONNECT_LIST_ALL_DOMAINS, then CONNECT_NUM_OF_DOMAINS, CONNECT_LIST_DOMAINS(1), DOMAIN_LOOKUP_BY_ID(7); no inactive list for Active.
            Assert.That(procedures, Is.EqualTo(new[] { 273, 51, 37, 22 }));
            Assert.That(maxIds, Is.EqualTo(new byte[] { 0, 0, 0, 1 }));
            Assert.That(byId, Is.EqualTo(new byte[] { 0, 0, 0, 7 }));
        });
    }

    [Test]
    public void ListingSnapshotsFallsBackToTheNamesWithTheSameFlags()
    {
        using var conn = OpenFake();
        var dom = Task.Run(() => conn.LookupDomainByUuid(Uuid));
        var lookup = _daemon.ReadCall(out _);
        _daemon.Reply(lookup, w => WriteDomain(w, "old", 1));
        var list = Task.Run(() => dom.Result.ListSnapshots(SnapshotListFlags.Roots).Select(s => s.Name).ToArray());
        var procedures = new List<int>();

        var call = _daemon.ReadCall(out _);
        procedures.Add(call.Procedure);
        _daemon.ReplyUnknownProcedure(call);
        call = _daemon.ReadCall(out byte[] numArgs);
        procedures.Add(call.Procedure);
        _daemon.Reply(call, w => w.WriteInt32(1));
        call = _daemon.ReadCall(out byte[] namesArgs);
        procedures.Add(call.Procedure);
        _daemon.Reply(call, w =>
        {
            w.WriteInt32(1);
            w.WriteString("s1");
        });
        call = _daemon.ReadCall(out _);
        procedures.Add(call.Procedure);
        _daemon.Reply(call, w =>
        {
            w.WriteString("s1");
            WriteDomain(w, "old", 1);
        });

        Assert.Multiple(() =>
        {
            Assert.That(list.Result, Is.EqualTo(new[] { "s1" }));
            // DOMAIN_LIST_ALL_SNAPSHOTS, then DOMAIN_SNAPSHOT_NUM, DOMAIN_SNAPSHOT_LIST_NAMES, DOMAIN_SNAPSHOT_LOOKUP_BY_NAME.
            Assert.That(procedures, Is.EqualTo(new[] { 274, 187, 188, 189 }));
            Assert.That(numArgs[^4..], Is.EqualTo(new byte[] { 0, 0, 0, 1 }), "the Roots flag");
            Assert.That(namesArgs[^8..], Is.EqualTo(new byte[] { 0, 0, 0, 1, 0, 0, 0, 1 }), "maxnames 1, the Roots flag");
        });
    }

    [Test]
    public void ADaemonWithoutCallbackEventsGetsTheOlderRegistrationAndItsEventsArrive()
    {
        using var conn = OpenFake();
        var events = new System.Collections.Concurrent.BlockingCollection<DomainLifecycleEventArgs>();
        var subscribe = Task.Run(() => conn.DomainLifecycle += (_, e) => events.Add(e));

        var register = _daemon.ReadCall(out byte[] args);
        _daemon.Reply(register);
        subscribe.Wait(TimeSpan.FromSeconds(10));
        _daemon.WriteRaw(RpcFrame.Encode(new RpcHeader(RpcPrograms.Remote, RpcPrograms.RemoteVersion, 107, RpcMessageType.Message, 0, RpcStatus.Ok), w =>
        {
            WriteDomain(w, "old", 1);
            w.WriteInt32((int)DomainEventType.Started);
            w.WriteInt32((int)DomainEventStartedDetail.Booted);
        }));

        Assert.Multiple(() =>
        {
            // CONNECT_DOMAIN_EVENT_REGISTER_ANY with VIR_DOMAIN_EVENT_ID_LIFECYCLE, not the callback form (316).
            Assert.That(register.Procedure, Is.EqualTo(167));
            Assert.That(args, Is.EqualTo(new byte[] { 0, 0, 0, 0 }));
            Assert.That(events.TryTake(out var e, TimeSpan.FromSeconds(10)), Is.True, "no event");
            Assert.That(e?.ToString(), Is.EqualTo("old: Started Booted"));
        });
    }

    [Test]
    public void ADaemonThatAsksForSaslFailsTheOpenSayingSo()
    {
        var open = Task.Run(() => VirtConnection.Open($"test+unix:///default?socket={_daemon.SocketPath}", new VirtConnectionOptions { Registry = _registry }));
        _daemon.Accept();
        var call = _daemon.ReadCall(out _);
        _daemon.Reply(call, w =>
        {
            w.WriteInt32(1);
            w.WriteInt32(1);
        });

        var ex = Assert.Throws<AggregateException>(() => open.Wait(TimeSpan.FromSeconds(10)))!.InnerException as VirtException;
        Assert.Multiple(() =>
        {
            Assert.That(call.Procedure, Is.EqualTo(66));
            Assert.That(ex?.Code, Is.EqualTo(VirtErrorCode.AuthFailed));
            Assert.That(ex?.Message, Does.Contain("the daemon requires sasl authentication, which Virt.Remote does not support yet"));
        });
    }
}
