using Virt.Remote.Rpc;

namespace Virt.Remote.Tests.Rpc;

/// <summary>The connection against a scripted peer: replies out of order, errors, and every fault the issue lists.</summary>
public sealed class RpcConnectionFaultTests
{
    private FakeDaemon _daemon = null!;

    [SetUp]
    public void SetUp() => _daemon = new FakeDaemon();

    [TearDown]
    public void TearDown() => _daemon.Dispose();

    private static Task<RpcInbound> CallAsync(RpcConnection rpc, int procedure, TimeSpan? timeout = null, CancellationToken token = default) =>
        Task.Factory.StartNew(() => rpc.Call(RpcPrograms.Remote, 1, procedure, null, timeout, token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static VirtException Failure(Task task)
    {
        var ex = Assert.Throws<AggregateException>(() => task.Wait(TimeSpan.FromSeconds(30)));
        return ex!.InnerException as VirtException ?? throw new AssertionException($"expected a VirtException, got {ex.InnerException}");
    }

    [Test]
    public void RepliesArrivingOutOfOrderCompleteTheCallWithTheSameSerial()
    {
        using var rpc = _daemon.Connect();
        var first = CallAsync(rpc, 3);
        var firstCall = _daemon.ReadCall(out _);
        var second = CallAsync(rpc, 59);
        var secondCall = _daemon.ReadCall(out _);

        _daemon.Reply(secondCall, w => w.WriteString("second"));
        _daemon.Reply(firstCall, w => w.WriteString("first"));

        Assert.Multiple(() =>
        {
            Assert.That(first.Result.PayloadReader().ReadString(), Is.EqualTo("first"));
            Assert.That(second.Result.PayloadReader().ReadString(), Is.EqualTo("second"));
            Assert.That(firstCall.Serial, Is.Not.EqualTo(secondCall.Serial));
        });
    }

    [Test]
    public void AReplyWithAnUnknownSerialIsDroppedAndTheCallStillGetsItsOwn()
    {
        using var rpc = _daemon.Connect();
        var call = CallAsync(rpc, 3);
        var header = _daemon.ReadCall(out _);

        _daemon.Reply(header, w => w.WriteString("stray"), serial: header.Serial + 1000);
        _daemon.Reply(header, w => w.WriteString("TEST"));

        Assert.Multiple(() =>
        {
            Assert.That(call.Result.PayloadReader().ReadString(), Is.EqualTo("TEST"));
            Assert.That(rpc.IsOpen, Is.True);
        });
    }

    [Test]
    public void AnErrorReplyIsTheDaemonsErrorWithCodeMessageAndDomain()
    {
        using var rpc = _daemon.Connect();
        var call = CallAsync(rpc, 23);
        var header = _daemon.ReadCall(out _);
        _daemon.ReplyError(header, 42, 12, "Domain not found: no domain with matching name 'nope'");

        var ex = Failure(call);
        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<VirtException>());
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.NoDomain));
            Assert.That(ex.Message, Is.EqualTo("Domain not found: no domain with matching name 'nope'"));
            Assert.That(ex.Detail, Is.EqualTo("no domain with matching name 'nope'"));
            Assert.That(RemoteErrorData.GetErrorDomain(ex), Is.EqualTo(12));
            Assert.That(rpc.IsOpen, Is.True);
        });
    }

    [Test]
    public void GarbageFromThePeerBreaksTheConnectionAndFailsEveryCallWithTheReason()
    {
        using var rpc = _daemon.Connect();
        var call = CallAsync(rpc, 3);
        _daemon.ReadCall(out _);
        _daemon.WriteRaw("HTTP/1.1 400 Bad Request\r\n\r\n"u8);

        var ex = Failure(call);
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.Rpc));
            Assert.That(ex.Message, Is.EqualTo("packet 1213486156 bytes received from server too large, want 16777216"));
            Assert.That(rpc.IsOpen, Is.False);
            var later = Assert.Throws<VirtException>(() => rpc.Call(RpcPrograms.Remote, 1, 3, null));
            Assert.That(later, Is.SameAs(ex));
        });
    }

    [Test]
    public void AMessageOf16MiBPlusOneIsRefusedFromItsLengthWord()
    {
        using var rpc = _daemon.Connect();
        var call = CallAsync(rpc, 3);
        _daemon.ReadCall(out _);
        _daemon.WriteLength(4 + (16 * 1024 * 1024) + 1);

        var ex = Failure(call);
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.Rpc));
            Assert.That(ex.Message, Is.EqualTo("packet 16777217 bytes received from server too large, want 16777216"));
            Assert.That(rpc.IsOpen, Is.False);
        });
    }

    [Test]
    public void ATruncatedHeaderIsRefused()
    {
        using var rpc = _daemon.Connect();
        var call = CallAsync(rpc, 3);
        _daemon.ReadCall(out _);
        _daemon.WriteLength(8);

        var ex = Failure(call);
        Assert.That(ex.Message, Is.EqualTo("packet 8 bytes received from server too small, want 28"));
    }

    [Test]
    public void AConnectionDroppedMidCallFailsTheCallWithEndOfFile()
    {
        using var rpc = _daemon.Connect();
        var call = CallAsync(rpc, 3);
        _daemon.ReadCall(out _);
        _daemon.Drop();

        var ex = Failure(call);
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.SystemError));
            Assert.That(ex.Message, Is.EqualTo("End of file while reading data: Input/output error"));
            Assert.That(rpc.IsOpen, Is.False);
        });
    }

    [Test]
    public void APeerThatStopsReadingTimesTheCallOutAndBreaksTheConnection()
    {
        using var rpc = _daemon.Connect();
        string big = new('x', 8 * 1024 * 1024);

        // The daemon never reads: the socket buffers fill and the write cannot finish.
        var ex = Assert.Throws<VirtException>(() =>
            rpc.Call(RpcPrograms.Remote, 1, 11, w => w.WriteString(big), TimeSpan.FromSeconds(1)));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
            Assert.That(ex.Message, Does.Contain("the daemon did not read a message within 1 s; the connection is closed"));
            Assert.That(rpc.IsOpen, Is.False);
        });
    }

    [Test]
    public void APeerThatStopsReadingTimesOutTheBlockingSendOfACallWithTheDefaultTimeout()
    {
        using var rpc = _daemon.Connect(callTimeout: TimeSpan.FromSeconds(1));
        string big = new('x', 8 * 1024 * 1024);

        var ex = Assert.Throws<VirtException>(() => rpc.Call(RpcPrograms.Remote, 1, 11, w => w.WriteString(big)));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
            Assert.That(ex.Message, Is.EqualTo("Timed out during operation: the daemon did not read a message within 1 s; the connection is closed"));
            Assert.That(rpc.IsOpen, Is.False);
        });
    }

    [Test]
    public void ACallWithoutAReplyTimesOutAndItsLateReplyIsDropped()
    {
        using var rpc = _daemon.Connect();
        var ex = Assert.Throws<VirtException>(() => rpc.Call(RpcPrograms.Remote, 1, 3, null, TimeSpan.FromMilliseconds(200)));
        var late = _daemon.ReadCall(out _);
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
            Assert.That(ex.Message, Is.EqualTo("Timed out during operation: no reply to remote procedure 3 within 0.2 s"));
            Assert.That(rpc.PendingCount, Is.Zero);
        });

        var next = CallAsync(rpc, 59);
        var nextHeader = _daemon.ReadCall(out _);
        _daemon.Reply(late, w => w.WriteString("late"));
        _daemon.Reply(nextHeader, w => w.WriteString("host"));
        Assert.That(next.Result.PayloadReader().ReadString(), Is.EqualTo("host"));
    }

    [Test]
    public void ACancelledCallIsAbortedAndTheConnectionStaysUsable()
    {
        using var rpc = _daemon.Connect();
        using var cts = new CancellationTokenSource();
        var call = CallAsync(rpc, 3, token: cts.Token);
        _daemon.ReadCall(out _);
        cts.Cancel();

        var ex = Failure(call);
        Assert.Multiple(() =>
        {
            Assert.That(ex.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
            Assert.That(rpc.IsOpen, Is.True);
            Assert.That(rpc.PendingCount, Is.Zero);
        });
    }

    [Test]
    public void KeepalivePingsAreAnsweredWithPongs()
    {
        using var rpc = _daemon.Connect();
        _daemon.WriteRaw(RpcFrame.Encode(new RpcHeader(RpcPrograms.KeepAlive, 1, RpcPrograms.KeepAlivePing, RpcMessageType.Message, 0, RpcStatus.Ok), null));

        var pong = _daemon.ReadCall(out byte[] payload);
        Assert.Multiple(() =>
        {
            Assert.That(pong, Is.EqualTo(new RpcHeader(RpcPrograms.KeepAlive, 1, RpcPrograms.KeepAlivePong, RpcMessageType.Message, 0, RpcStatus.Ok)));
            Assert.That(payload, Is.Empty);
        });
    }

    [Test]
    public void MessagesReachTheSubscriberOffTheReaderThread()
    {
        using var rpc = _daemon.Connect();
        var received = new TaskCompletionSource<(int Procedure, string Text, bool OnReader)>();
        rpc.MessageReceived += m => received.TrySetResult((m.Header.Procedure, m.PayloadReader().ReadString(), Thread.CurrentThread.Name == "Virt.Remote reader"));
        _daemon.WriteRaw(RpcFrame.Encode(new RpcHeader(RpcPrograms.Remote, 1, 318, RpcMessageType.Message, 0, RpcStatus.Ok), w => w.WriteString("event")));

        Assert.That(received.Task.Wait(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(received.Task.Result, Is.EqualTo((318, "event", false)));
    }

    [Test]
    public void ClosingFailsPendingCallsAndLaterOnes()
    {
        var rpc = _daemon.Connect();
        var call = CallAsync(rpc, 3);
        _daemon.ReadCall(out _);
        rpc.Dispose();

        var ex = Failure(call);
        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Is.EqualTo("internal error: client socket is closed"));
            Assert.That(() => rpc.Call(RpcPrograms.Remote, 1, 3, null), Throws.TypeOf<VirtException>().With.Message.EqualTo("internal error: client socket is closed"));
        });
    }

    [Test]
    public void AnIdleConnectionPingsAndASilentPeerIsDroppedAfterTheKeepaliveCount()
    {
        using var rpc = _daemon.Connect();
        var closed = new TaskCompletionSource<VirtException>();
        rpc.Closed += reason => closed.TrySetResult(reason);
        rpc.StartKeepAlive(TimeSpan.FromMilliseconds(100), 2);

        // The daemon reads the pings but never answers them.
        var ping1 = _daemon.ReadCall(out _);
        var ping2 = _daemon.ReadCall(out _);

        Assert.That(closed.Task.Wait(TimeSpan.FromSeconds(10)), Is.True, "the connection did not break");
        Assert.Multiple(() =>
        {
            Assert.That(ping1, Is.EqualTo(new RpcHeader(RpcPrograms.KeepAlive, 1, RpcPrograms.KeepAlivePing, RpcMessageType.Message, 0, RpcStatus.Ok)));
            Assert.That(ping2, Is.EqualTo(ping1));
            Assert.That(closed.Task.Result.Message, Is.EqualTo("internal error: connection closed due to keepalive timeout"));
            Assert.That(rpc.IsOpen, Is.False);
        });
    }

    [Test]
    public void APeerThatAnswersPingsKeepsTheConnectionAlive()
    {
        using var rpc = _daemon.Connect();
        rpc.StartKeepAlive(TimeSpan.FromMilliseconds(100), 50);
        for (int i = 0; i < 5; i++)
        {
            var ping = _daemon.ReadCall(out _);
            _daemon.WriteRaw(RpcFrame.Encode(ping with { Procedure = RpcPrograms.KeepAlivePong }, null));
        }

        var call = CallAsync(rpc, 3);
        RpcHeader header;
        do
        {
            header = _daemon.ReadCall(out _);
        }
        while (header.Program == RpcPrograms.KeepAlive);

        _daemon.Reply(header, w => w.WriteString("TEST"));
        Assert.Multiple(() =>
        {
            Assert.That(call.Result.PayloadReader().ReadString(), Is.EqualTo("TEST"));
            Assert.That(rpc.IsOpen, Is.True);
        });
    }
}
