using System.Text;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>The client against a scripted QMP peer: protocol rules, hostile streams, no hangs.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpFakeServerTests
{
    private static readonly QmpClientOptions Options = new() { ConnectTimeout = TimeSpan.FromSeconds(5) };

    private const string Running = "{\"status\": \"running\", \"singlestep\": false, \"running\": true}";

    [Test]
    public void NegotiationEnablesOobWhenOfferedAndReadsGreeting()
    {
        string? arguments = null;
        using var server = new FakeQmpServer(peer =>
        {
            peer.Send(FakeQmpServer.Greeting);
            var (id, args) = peer.Expect("qmp_capabilities");
            arguments = args;
            peer.Reply(id, "{}");
            peer.ExpectClose();
        });
        using (var connection = QmpConnection.Connect(server.SocketPath, Options))
        {
            Assert.Multiple(() =>
            {
                Assert.That(connection.State, Is.EqualTo(QmpState.Running));
                Assert.That(connection.Greeting.Version, Is.EqualTo(new Version(7, 2, 0)));
                Assert.That(connection.Greeting.Package, Is.EqualTo("fake"));
                Assert.That(connection.Greeting.Capabilities, Is.EqualTo(new[] { "oob" }));
                Assert.That(connection.OutOfBandEnabled, Is.True);
            });
        }

        server.Verify();
        Assert.That(arguments, Is.EqualTo("{\"enable\":[\"oob\"]}"));
    }

    [Test]
    public void NegotiationWithoutOobOfferSendsNoArguments()
    {
        string? arguments = "unset";
        using var server = new FakeQmpServer(peer =>
        {
            peer.Send("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 1, \"minor\": 0, \"major\": 5}, \"package\": \"\"}, \"capabilities\": []}}");
            var (id, args) = peer.Expect("qmp_capabilities");
            arguments = args;
            peer.Reply(id, "{}");
            peer.ExpectClose();
        });
        using (var connection = QmpConnection.Connect(server.SocketPath, Options))
        {
            Assert.That(connection.OutOfBandEnabled, Is.False);
        }

        server.Verify();
        Assert.That(arguments, Is.Null);
    }

    [Test]
    public void EventsBeforeAndAroundGreetingAreKeptAndDelivered()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.SendEvent("EARLY1");
            peer.Send(FakeQmpServer.Greeting);
            peer.SendEvent("EARLY2");
            var (id, _) = peer.Expect("qmp_capabilities");
            peer.Reply(id, "{}");
            peer.ExpectClose();
        });
        var seen = new List<string>();
        using (var connection = new QmpConnection(Options))
        {
            using var subscription = connection.Subscribe(QmpEventFilter.All, e => { lock (seen) { seen.Add(e.Name); } });
            connection.Open(server.SocketPath);
            Assert.That(connection.EarlyEvents.Select(e => e.Name), Is.EqualTo(new[] { "EARLY1", "EARLY2" }));
            Assert.That(connection.EarlyEvents[0].Timestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(50)));
            Assert.That(connection.WaitForHandlers(TimeSpan.FromSeconds(10)), Is.True);
        }

        server.Verify();
        Assert.That(seen, Is.EqualTo(new[] { "EARLY1", "EARLY2" }));
    }

    [Test]
    public void InterleavedEventsReachFilteredSubscribersAndRepliesTheirCallers()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("query-status");
            peer.SendEvent("STOP");
            peer.SendEvent("JOB_STATUS_CHANGE", "{\"status\": \"running\", \"id\": \"a\"}");
            peer.SendEvent("JOB_STATUS_CHANGE", "{\"status\": \"running\", \"id\": \"b\"}");
            peer.Reply(id, Running);
            peer.SendEvent("RESUME");
            peer.ExpectClose();
        });
        var all = new List<string>();
        var jobA = new List<string>();
        var stopOnly = new List<string>();
        StatusInfo status;
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            using var s1 = client.Connection.Subscribe(QmpEventFilter.All, e => all.Add(e.Name));
            using var s2 = client.Connection.Subscribe(new QmpEventFilter(jobId: "a"), e => jobA.Add(e.GetDataString("id")!));
            using var s3 = client.Connection.Subscribe(new QmpEventFilter(["STOP"]), e => stopOnly.Add(e.Name));
            using var queue = client.Connection.SubscribeQueue(new QmpEventFilter(["RESUME"]));
            status = client.QueryStatus();
            Assert.That(queue.Take(TimeSpan.FromSeconds(10))?.Name, Is.EqualTo("RESUME"));
            Assert.That(client.Connection.WaitForHandlers(TimeSpan.FromSeconds(10)), Is.True);
        }

        server.Verify();
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(new StatusInfo(true, "running")));
            Assert.That(all, Is.EqualTo(new[] { "STOP", "JOB_STATUS_CHANGE", "JOB_STATUS_CHANGE", "RESUME" }));
            Assert.That(jobA, Is.EqualTo(new[] { "a" }));
            Assert.That(stopOnly, Is.EqualTo(new[] { "STOP" }));
        });
    }

    [Test]
    public void ThrowingEventHandlerDoesNotStopTheReader()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("query-status");
            peer.SendEvent("BOOM");
            peer.Reply(id, Running);
            peer.Serve(("query-status", Running));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            int calls = 0;
            using var subscription = client.Connection.Subscribe(QmpEventFilter.All, _ =>
            {
                calls++;
                throw new InvalidOperationException("subscriber bug");
            });
            client.QueryStatus();
            Assert.That(client.QueryStatus().Status, Is.EqualTo("running"));
            Assert.That(client.Connection.WaitForHandlers(TimeSpan.FromSeconds(10)), Is.True);
            Assert.That(calls, Is.EqualTo(1));
        }

        server.Verify();
    }

    [Test]
    public void SlowEventHandlerDelaysNeitherRepliesNorTheEndOfADeadQemu()
    {
        using var handlerEntered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("query-status");
            peer.SendEvent("SLOW");
            handlerEntered.Wait(TimeSpan.FromSeconds(20));
            peer.Reply(id, Running);
            peer.Expect("query-status");

            // Ends here: the connection closes with the second command unanswered, as when QEMU dies.
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            bool handlerOnReader = false;
            using var subscription = client.Subscribe(QmpEventFilter.All, _ =>
            {
                handlerOnReader = Thread.CurrentThread.Name?.StartsWith("QMP reader", StringComparison.Ordinal) ?? false;
                handlerEntered.Set();
                release.Wait(TimeSpan.FromSeconds(30));
            });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var first = client.Query("query-status", QmpJsonContext.Default.StatusInfo, TimeSpan.FromSeconds(60));
            AssertBroken(() => client.Query("query-status", QmpJsonContext.Default.StatusInfo, TimeSpan.FromSeconds(60)), "End of file from QEMU monitor: QEMU exited or closed the connection");
            watch.Stop();
            bool stillInHandler = !release.IsSet;
            release.Set();
            Assert.Multiple(() =>
            {
                Assert.That(first, Is.EqualTo(new StatusInfo(true, "running")));
                Assert.That(stillInHandler, Is.True);
                Assert.That(handlerOnReader, Is.False);

                // Generous bound that only guards against a hang: the handler blocks for up to 30 s.
                Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
            });
        }

        server.Verify();
    }

    [Test]
    public void ErrorReplyBecomesQmpCommandException()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("blockdev-del");
            peer.ReplyError(id, "GenericError", "Failed to find node with node-name='nope'");
            peer.Serve(("query-status", Running));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<QmpCommandException>(() => client.BlockdevDel("nope"))!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
                Assert.That(e.Command, Is.EqualTo("blockdev-del"));
                Assert.That(e.ErrorClass, Is.EqualTo("GenericError"));
                Assert.That(e.Description, Is.EqualTo("Failed to find node with node-name='nope'"));
                Assert.That(e.Message, Is.EqualTo("operation failed: QEMU command 'blockdev-del' failed (GenericError): Failed to find node with node-name='nope'"));
            });
            Assert.That(client.QueryStatus().Running, Is.True, "an error reply leaves the connection usable");
        }

        server.Verify();
    }

    [TestCase("{\"return\": {}, \"id\": 999}", "QEMU sent a reply with an unknown id 999", TestName = "ReplyWithUnknownId_BreaksConnection")]
    [TestCase("{\"return\": {}, \"id\": \"libvirt-1\"}", "QEMU sent a reply with an unknown id \"libvirt-1\"", TestName = "ReplyWithForeignStringId_BreaksConnection")]
    [TestCase("{\"return\": {}}", "QEMU sent a reply without an id (it could not parse a command)", TestName = "ReplyWithoutId_BreaksConnection")]
    [TestCase("{\"hello\": 1}", "QEMU sent an object that is neither a greeting, an event nor a reply", TestName = "UnknownObject_BreaksConnection")]
    [TestCase("[1, 2]", "QEMU sent a JSON value that is not an object", TestName = "JsonArray_BreaksConnection")]
    [TestCase("{\"event\": 5}", "QEMU sent a malformed event name", TestName = "EventWithNumericName_BreaksConnection")]
    [TestCase("{\"id\": 1, \"error\": {\"class\": 3}}", "QEMU sent a malformed error reply", TestName = "MalformedError_BreaksConnection")]
    [TestCase(FakeQmpServer.Greeting, "QEMU sent a second greeting", TestName = "SecondGreeting_BreaksConnection")]
    public void ProtocolViolationFailsPendingAndLaterCalls(string line, string reason)
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Expect("query-status");
            peer.Send(line);
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            AssertBroken(() => client.QueryStatus(), reason);
            AssertBroken(() => client.QueryStatus(), reason);
            Assert.That(client.Connection.State, Is.EqualTo(QmpState.Broken));
        }

        server.Verify();
    }

    [Test]
    public void MalformedJsonBreaksConnection()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Expect("query-status");
            peer.Send("{\"return\": {\"status\": ");
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = AssertBroken(() => client.QueryStatus(), null);
            Assert.That(e.Reason, Does.StartWith("QEMU sent malformed JSON: "));
        }

        server.Verify();
    }

    [Test]
    public void TruncatedJsonThenEofFailsThePendingCall()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Expect("query-status");
            peer.SendRaw(Encoding.UTF8.GetBytes("{\"return\": {\"status\": \"runn"));
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            AssertBroken(() => client.QueryStatus(), "QEMU closed the monitor connection in the middle of a message");
        }

        server.Verify();
    }

    [Test]
    public void EofWithoutReplyFailsThePendingCall()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Expect("query-status");
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = AssertBroken(() => client.QueryStatus(), "End of file from QEMU monitor: QEMU exited or closed the connection");
            Assert.That(e.Message, Is.EqualTo("operation failed: the connection to the QEMU monitor is broken (End of file from QEMU monitor: QEMU exited or closed the connection); the domain must be restarted or the monitor reconnected"));
        }

        server.Verify();
    }

    [Test]
    public void RandomBytesBreakConnection()
    {
        var random = new Random(42);
        var garbage = new byte[4096];
        random.NextBytes(garbage);
        garbage[^1] = (byte)'\n';
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Expect("query-status");
            peer.SendRaw(garbage);
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = AssertBroken(() => client.QueryStatus(), null);
            Assert.That(e.Reason, Is.EqualTo("QEMU sent a message that is not valid UTF-8").Or.StartsWith("QEMU sent malformed JSON"));
        }

        server.Verify();
    }

    [Test]
    public void InvalidUtf8BreaksConnection()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("query-status");
            peer.SendRaw([.. Encoding.UTF8.GetBytes("{\"return\": \""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\", \"id\": " + id + "}\n")]);
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            AssertBroken(() => client.QueryStatus(), "QEMU sent a message that is not valid UTF-8");
        }

        server.Verify();
    }

    [Test]
    public void LineOver10MBBreaksConnection()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("query-status");
            var huge = new byte[QmpLineReader.MaxLineBytes + 1024];
            Array.Fill(huge, (byte)' ');
            Encoding.UTF8.GetBytes("{\"return\": {}, \"id\": " + id + ", \"pad\": \"").CopyTo(huge, 0);
            try
            {
                peer.SendRaw(huge);
                peer.ExpectClose();
            }
            catch (IOException)
            {
                // The client hung up mid-line, as it should.
            }
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            AssertBroken(() => client.QueryStatus(), "QEMU sent a message longer than 10485760 bytes");
        }

        server.Verify();
    }

    [Test]
    public void SlowDripOneByteAtATimeStillWorks()
    {
        using var server = new FakeQmpServer(peer =>
        {
            foreach (byte b in Encoding.UTF8.GetBytes(FakeQmpServer.Greeting + "\n"))
            {
                peer.SendRaw([b]);
            }

            var (id, _) = peer.Expect("qmp_capabilities");
            peer.Reply(id, "{}");
            (id, _) = peer.Expect("query-status");
            foreach (byte b in Encoding.UTF8.GetBytes("{\"return\": " + Running + ", \"id\": " + id + "}\n"))
            {
                peer.SendRaw([b]);
            }

            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            Assert.That(client.QueryStatus(), Is.EqualTo(new StatusInfo(true, "running")));
        }

        server.Verify();
    }

    [Test]
    public void GreetingNeverSentConnectTimesOut()
    {
        using var server = new FakeQmpServer(peer => peer.ExpectClose());
        var e = Assert.Throws<VirtException>(() => QmpConnection.Connect(server.SocketPath, Options with { ConnectTimeout = TimeSpan.FromMilliseconds(300) }))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
            Assert.That(e.Detail, Is.EqualTo("QEMU sent no QMP greeting on '" + server.SocketPath + "' within 0.3 s; QEMU may be hung, or another client holds its monitor"));
        });
        server.Verify();
    }

    [Test]
    public void MissingSocketFailsToConnect()
    {
        string path = Path.Combine(Path.GetTempPath(), "virt-no-such-" + Guid.NewGuid().ToString("N") + ".sock");
        var e = Assert.Throws<VirtException>(() => QmpConnection.Connect(path, Options with { ConnectTimeout = TimeSpan.FromMilliseconds(200) }))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
            Assert.That(e.Detail, Is.EqualTo("cannot connect to the QEMU monitor socket '" + path + "': the socket does not exist; is QEMU running?"));
        });
    }

    [Test]
    public void SocketPathTooLongIsInvalidArg()
    {
        string path = "/tmp/" + new string('s', 200) + ".sock";
        var e = Assert.Throws<VirtException>(() => QmpConnection.Connect(path, Options))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            Assert.That(e.Detail, Is.EqualTo("cannot connect to the QEMU monitor socket '" + path + "': the path is longer than a UNIX socket address allows (107 bytes); use a shorter state root"));
        });
    }

    [Test]
    public void NoReplyTimesOutLateReplyIsDroppedConnectionStaysUsable()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (slow, _) = peer.Expect("query-status");
            var (next, _) = peer.Expect("query-version");
            peer.Reply(slow, Running);
            peer.Reply(next, "{\"qemu\": {\"major\": 7, \"minor\": 2, \"micro\": 0}, \"package\": \"fake\"}");
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<VirtException>(() => client.Query("query-status", QmpJsonContext.Default.StatusInfo, TimeSpan.FromMilliseconds(200)))!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
                Assert.That(e.Detail, Is.EqualTo("QEMU did not answer command 'query-status' within 0.2 s; the VM may be hung or overloaded"));
            });
            Assert.That(client.QueryVersion().Qemu, Is.EqualTo(new VersionTriple(7, 2, 0)));
            Assert.That(client.Connection.State, Is.EqualTo(QmpState.Running));
        }

        server.Verify();
    }

    [Test]
    public void CancelledWaitFailsWithOperationAborted()
    {
        using var cts = new CancellationTokenSource();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Expect("query-status");
            cts.Cancel(); // only once the command is surely on its way
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<VirtException>(() => client.QueryStatus(cts.Token))!;
            Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
        }

        server.Verify();
    }

    [Test]
    public void AlreadyCancelledTokenSendsNothingFailsWithOperationAborted()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Serve(("query-status", Running));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            var e = Assert.Throws<VirtException>(() => client.Connection.Execute("quit", cancellationToken: cts.Token))!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
                Assert.That(e.Detail, Is.EqualTo("command 'quit' was cancelled before it was sent to QEMU"));
            });
            Assert.That(client.QueryStatus().Running, Is.True, "the next command is the first QEMU sees");
        }

        server.Verify();
    }

    [Test]
    public void PeerThatStopsReadingCallReturnsAtItsOwnTimeoutAndTheConnectionBreaks()
    {
        using var release = new ManualResetEventSlim();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            release.Wait(TimeSpan.FromSeconds(30)); // reads nothing more, like a SIGSTOPped QEMU
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var e = Assert.Throws<VirtException>(() => client.HumanMonitorCommand(new string('x', 8 << 20), TimeSpan.FromSeconds(1)))!;
            watch.Stop();
            release.Set();
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
                Assert.That(e.Detail, Is.EqualTo("QEMU did not answer command 'human-monitor-command' within 1 s; the VM may be hung or overloaded"));

                // Generous bound that only guards against a hang: the write used to block for the 30 s write timeout.
                Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(6)));
                Assert.That(client.State, Is.EqualTo(QmpState.Broken), "part of the command may be in the socket: the framing is lost");
                Assert.That(client.Connection.BrokenReason, Is.EqualTo("QEMU did not read command 'human-monitor-command' within its timeout of 1 s; part of it may have been sent, so the monitor stream is no longer usable"));
            });
        }

        server.Verify();
    }

    [Test]
    public void DisposeFailsPendingCallLaterCallsAreMisuse()
    {
        var sent = new ManualResetEventSlim();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Expect("query-status");
            sent.Set();
            peer.ExpectClose();
        });
        var client = QmpClient.Connect(server.SocketPath, Options);
        var caller = new PendingCall(() => client.QueryStatus());
        Assert.That(sent.Wait(TimeSpan.FromSeconds(10)), Is.True);
        client.Dispose();
        Assert.That(caller.Join(TimeSpan.FromSeconds(10)), Is.True);
        var pending = caller.Failure;
        Assert.Multiple(() =>
        {
            Assert.That(pending, Is.TypeOf<QmpConnectionException>());
            Assert.That(((QmpConnectionException)pending!).Reason, Is.EqualTo("the QMP connection was closed"));
            Assert.That(client.Connection.State, Is.EqualTo(QmpState.Closed));
        });
        Assert.Throws<ObjectDisposedException>(() => client.QueryStatus());
        server.Verify();
    }

    [Test]
    public void RawPassthroughReturnsReplyWithCallersIdErrorsAsText()
    {
        string? arguments = null;
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, args) = peer.Expect("qom-get");
            arguments = args;
            peer.Reply(id, "\"q35\"");
            (id, _) = peer.Expect("nope");
            peer.ReplyError(id, "CommandNotFound", "The command nope has not been found");
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            Assert.Multiple(() =>
            {
                Assert.That(client.ExecuteRaw("{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"/machine\",\"property\":\"type\"},\"id\":\"mine-1\"}"),
                    Is.EqualTo("{\"return\":\"q35\",\"id\":\"mine-1\"}"));
                Assert.That(client.ExecuteRaw("{\"execute\":\"nope\"}"),
                    Is.EqualTo("{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"The command nope has not been found\"}}"));
                var e = Assert.Throws<VirtException>(() => client.ExecuteRaw("[1]"))!;
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
                Assert.That(Assert.Throws<VirtException>(() => client.ExecuteRaw("{\"execute\":"))!.Code, Is.EqualTo(VirtErrorCode.InvalidArg));
            });
        }

        server.Verify();
        Assert.That(arguments, Is.EqualTo("{\"path\":\"/machine\",\"property\":\"type\"}"));
    }

    [Test]
    public void SchemaProbeRunsOncePerConnection()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Serve(("query-qmp-schema", "[{\"name\": \"snapshot-save\", \"meta-type\": \"command\", \"arg-type\": \"1\", \"ret-type\": \"2\"}, {\"name\": \"STOP\", \"meta-type\": \"event\"}, {\"name\": \"int\", \"meta-type\": \"builtin\", \"json-type\": \"int\"}]"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            Assert.Multiple(() =>
            {
                Assert.That(client.SupportsSnapshotJobs, Is.True);
                Assert.That(client.HasCommand("blockdev-create"), Is.False);
                Assert.That(client.HasEvent("STOP"), Is.True);
                Assert.That(client.HasCommand("STOP"), Is.False);
            });
        }

        server.Verify();
    }

    [Test]
    public void ReplyWithWrongShapeIsInternalErrorConnectionStaysUsable()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Serve(("query-status", "[1]"), ("query-status", Running));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<VirtException>(() => client.QueryStatus())!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.InternalError));
                Assert.That(e.Detail, Does.StartWith("QEMU's reply to command 'query-status' has an unexpected shape: "));
            });
            Assert.That(client.QueryStatus().Running, Is.True);
        }

        server.Verify();
    }

    internal static QmpConnectionException AssertBroken(Action call, string? reason)
    {
        var e = Assert.Throws<QmpConnectionException>(() => call())!;
        Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
        if (reason is not null)
        {
            Assert.That(e.Reason, Is.EqualTo(reason));
        }

        return e;
    }
}
