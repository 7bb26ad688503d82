using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>Jobs driven from JOB_STATUS_CHANGE against a scripted peer: progress, failure, cancellation, loss.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpJobFakeServerTests
{
    private static readonly QmpClientOptions Options = new() { ConnectTimeout = TimeSpan.FromSeconds(5) };

    private static string Status(string status, string id = "j1") => "{\"status\": \"" + status + "\", \"id\": \"" + id + "\"}";

    private static string Job(string status, long current, long total, string? error = null) =>
        "[{\"current-progress\": " + current + ", \"status\": \"" + status + "\", \"total-progress\": " + total
        + ", \"type\": \"snapshot-save\", \"id\": \"j1\"" + (error is null ? string.Empty : ", \"error\": \"" + error + "\"") + "}]";

    private static void StartJob(FakeQmpPeer peer, string command, out string? arguments)
    {
        var (id, args) = peer.Expect(command);
        arguments = args;
        peer.SendEvent("JOB_STATUS_CHANGE", Status("created"));
        peer.SendEvent("JOB_STATUS_CHANGE", Status("running"));
        peer.Reply(id, "{}");
    }

    [Test]
    public void SnapshotSaveReportsProgressReadsOutcomeDismisses()
    {
        string? arguments = null;
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-save", out arguments);
            peer.Serve(("query-jobs", Job("running", 1, 3)));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("running", "other-job"));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("waiting"));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("pending"));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            peer.Serve(("query-jobs", Job("concluded", 3, 3)), ("job-dismiss", "{}"));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("null"));
            peer.ExpectClose();
        });
        var progress = new ListProgress();
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            client.ProgressInterval = TimeSpan.FromSeconds(5);
            client.SnapshotSave("j1", "snap1", "disk0", ["disk0"], progress);
        }

        server.Verify();
        Assert.Multiple(() =>
        {
            Assert.That(arguments, Is.EqualTo("{\"job-id\":\"j1\",\"tag\":\"snap1\",\"vmstate\":\"disk0\",\"devices\":[\"disk0\"]}"));
            Assert.That(progress.Reports, Is.EqualTo(new[] { new VirtProgress("snapshot-save", 1, 3), new VirtProgress("snapshot-save", 3, 3) }));
        });
    }

    [Test]
    public void JobThatNeverAbortedIsOnlyDismissedWhenNobodyWatchesProgress()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-load", out _);
            peer.SendEvent("JOB_STATUS_CHANGE", Status("aborting", "other-job"));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("waiting"));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("pending"));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            // No query-jobs: the strict peer fails the test on any command but job-dismiss.
            peer.Serve(("job-dismiss", "{}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            Assert.That(() => client.SnapshotLoad("j1", "s", "disk0", ["disk0"]), Throws.Nothing);
        }

        server.Verify();
    }

    [Test]
    public void LoadThenContSendsContAfterTheDismissOnlyWhenTheLoadSucceeded()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-load", out _);
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            peer.Serve(("job-dismiss", "{}"), ("cont", "{}"));
            StartJob(peer, "snapshot-load", out _);
            peer.SendEvent("JOB_STATUS_CHANGE", Status("aborting"));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            // No cont after a failed load: the strict peer would fail on it instead of seeing the close.
            peer.Serve(("query-jobs", Job("concluded", 1, 1, "Snapshot 's' not found")), ("job-dismiss", "{}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            Assert.That(() => client.SnapshotLoadThenCont("j1", "s", "disk0", ["disk0"]), Throws.Nothing);
            var e = Assert.Throws<VirtException>(() => client.SnapshotLoadThenCont("j1", "s", "disk0", ["disk0"]))!;
            Assert.That(e.Message, Is.EqualTo("operation failed: QEMU job 'j1' (snapshot-load) failed: Snapshot 's' not found"));
        }

        server.Verify();
    }

    [Test]
    public void LoadThenContWatchedForProgressAsksForTheOutcomeThenResumes()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-load", out _);
            peer.Serve(("query-jobs", Job("running", 1, 2)));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            peer.Serve(("query-jobs", Job("concluded", 2, 2)), ("job-dismiss", "{}"), ("cont", "{}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var progress = new ListProgress();
            Assert.That(() => client.SnapshotLoadThenCont("j1", "s", "disk0", ["disk0"], progress), Throws.Nothing);
            Assert.That(progress.Reports, Has.Count.EqualTo(2));
        }

        server.Verify();
    }

    [Test]
    public void LoadThenContReportsARefusedCont()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-load", out _);
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            peer.Serve(("job-dismiss", "{}"));
            var (id, _) = peer.Expect("cont");
            peer.ReplyError(id, "GenericError", "Resetting the Virtual Machine is required");
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<QmpCommandException>(() => client.SnapshotLoadThenCont("j1", "s", "disk0", ["disk0"]))!;
            Assert.That(e.Description, Is.EqualTo("Resetting the Virtual Machine is required"));
        }

        server.Verify();
    }

    [Test]
    public void FailedJobThrowsQemusErrorText()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-delete", out _);
            peer.SendEvent("JOB_STATUS_CHANGE", Status("aborting"));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            peer.Serve(("query-jobs", Job("concluded", 1, 1, "Snapshot 'x' not found")), ("job-dismiss", "{}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<VirtException>(() => client.SnapshotDelete("j1", "x", ["disk0"]))!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationFailed));
                Assert.That(e.Message, Is.EqualTo("operation failed: QEMU job 'j1' (snapshot-delete) failed: Snapshot 'x' not found"));
            });
        }

        server.Verify();
    }

    [Test]
    public void CancellationSendsJobCancelWaitsForConclusionThrowsOperationAborted()
    {
        using var cts = new CancellationTokenSource();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-load", out _);
            cts.Cancel(); // once the job surely started
            var (id, args) = peer.Expect("job-cancel");
            if (args != "{\"id\":\"j1\"}")
            {
                throw new InvalidOperationException("job-cancel arguments " + args);
            }

            peer.Reply(id, "{}");
            peer.SendEvent("JOB_STATUS_CHANGE", Status("aborting"));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            peer.Serve(("query-jobs", Job("concluded", 0, 1, "Operation cancelled")), ("job-dismiss", "{}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<VirtException>(() => client.SnapshotLoad("j1", "snap1", "disk0", ["disk0"], cancellationToken: cts.Token))!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
                Assert.That(e.Message, Is.EqualTo("operation aborted: QEMU job 'j1' (snapshot-load) was cancelled"));
            });
        }

        server.Verify();
    }

    [Test]
    public void JobPastItsTimeoutIsCancelledThenOperationTimeout()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-save", out _);
            var (id, _) = peer.Expect("job-cancel");
            peer.Reply(id, "{}");
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            peer.Serve(("query-jobs", Job("concluded", 0, 1, "Operation cancelled")), ("job-dismiss", "{}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<VirtException>(() => client.RunJob("snapshot-save", "j1", new SnapshotSaveArguments("j1", "s", "disk0", ["disk0"]),
                QmpJsonContext.Default.SnapshotSaveArguments, null, CancellationToken.None, TimeSpan.FromMilliseconds(200)))!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
                Assert.That(e.Detail, Is.EqualTo("QEMU job 'j1' (snapshot-save) did not finish within 0.2 s and was cancelled"));
            });
        }

        server.Verify();
    }

    private const string CannotDismiss = "Job 'j1' in state 'running' cannot accept command verb 'dismiss'";

    [Test]
    public void JobIgnoringCancelStillReturnsAfterTheGrace()
    {
        using var cts = new CancellationTokenSource();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-save", out _);
            cts.Cancel(); // once the job surely started
            var (id, _) = peer.Expect("job-cancel");
            peer.Reply(id, "{}");
            (id, _) = peer.Expect("job-dismiss");
            peer.ReplyError(id, "GenericError", CannotDismiss);
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            client.CancelGrace = TimeSpan.FromMilliseconds(200);
            var e = Assert.Throws<VirtException>(() => client.SnapshotSave("j1", "s", "disk0", ["disk0"], cancellationToken: cts.Token))!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
                Assert.That(e.Detail, Is.EqualTo("QEMU job 'j1' (snapshot-save) did not stop within 0.2 s after job-cancel; it may still be running"));
            });
        }

        server.Verify();
    }

    [Test]
    public void JobIgnoringCancelIsDismissedOnceItConcludesSoItsIdCanBeUsedAgain()
    {
        using var cts = new CancellationTokenSource();
        using var gaveUp = new ManualResetEventSlim();
        using var dismissed = new ManualResetEventSlim();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-save", out _);
            cts.Cancel();
            var (id, _) = peer.Expect("job-cancel");
            peer.Reply(id, "{}");
            (id, _) = peer.Expect("job-dismiss");
            peer.ReplyError(id, "GenericError", CannotDismiss);
            gaveUp.Wait(TimeSpan.FromSeconds(20));
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            (id, _) = peer.Expect("job-dismiss");
            dismissed.Set();
            peer.SendEvent("JOB_STATUS_CHANGE", Status("null")); // before the reply, as QEMU does
            peer.Reply(id, "{}");
            StartJob(peer, "snapshot-save", out _);
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            peer.Serve(("job-dismiss", "{}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            client.CancelGrace = TimeSpan.FromMilliseconds(200);
            using var gone = new ManualResetEventSlim();
            using var watch = client.Subscribe(new QmpEventFilter(["JOB_STATUS_CHANGE"], "j1"), e =>
            {
                if (e.GetDataString("status") == "null")
                {
                    gone.Set();
                }
            });
            var e = Assert.Throws<VirtException>(() => client.SnapshotSave("j1", "s", "disk0", ["disk0"], cancellationToken: cts.Token))!;
            gaveUp.Set();
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationTimeout));
                Assert.That(dismissed.Wait(TimeSpan.FromSeconds(10)), Is.True, "the left-behind job is dismissed once it concludes");
                Assert.That(gone.Wait(TimeSpan.FromSeconds(10)), Is.True);
            });
            Assert.That(() => client.SnapshotSave("j1", "s", "disk0", ["disk0"]), Throws.Nothing, "the id is free again");
        }

        server.Verify();
    }

    [Test]
    public void CancelledJobThatFailedForAnotherReasonKeepsQemusError()
    {
        using var cts = new CancellationTokenSource();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-load", out _);
            cts.Cancel();
            var (id, _) = peer.Expect("job-cancel");
            peer.Reply(id, "{}");
            peer.SendEvent("JOB_STATUS_CHANGE", Status("concluded"));
            peer.Serve(("query-jobs", Job("concluded", 0, 1, "Input/output error")), ("job-dismiss", "{}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<VirtException>(() => client.SnapshotLoad("j1", "snap1", "disk0", ["disk0"], cancellationToken: cts.Token))!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationAborted));
                Assert.That(e.Message, Is.EqualTo("operation aborted: QEMU job 'j1' (snapshot-load) was cancelled; QEMU reported: Input/output error"));
            });
        }

        server.Verify();
    }

    [Test]
    public void JobRefusedThrowsQmpCommandException()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("snapshot-save");
            peer.ReplyError(id, "GenericError", "Job ID 'j1' already in use");
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<QmpCommandException>(() => client.SnapshotSave("j1", "s", "disk0", ["disk0"]))!;
            Assert.That(e.Description, Is.EqualTo("Job ID 'j1' already in use"));
        }

        server.Verify();
    }

    [Test]
    public void ConnectionLostDuringJobFailsTheWait()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            StartJob(peer, "snapshot-save", out _);
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            QmpFakeServerTests.AssertBroken(() => client.SnapshotSave("j1", "s", "disk0", ["disk0"]), "End of file from QEMU monitor: QEMU exited or closed the connection");
        }

        server.Verify();
    }

    private sealed class ListProgress : IProgress<VirtProgress>
    {
        public List<VirtProgress> Reports { get; } = [];

        public void Report(VirtProgress value) => Reports.Add(value);
    }
}
