using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>
/// A cancelled call returns at once, aborted by its token, however long its timeout. Each call here has a one-hour
/// timeout: if the wait ignored the token it would not return before the guard gives up, and the test fails,
/// instead of passing late through the timeout path (which reports a timeout, or the same abort an hour later).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpCancellationTests
{
    private static readonly QmpClientOptions Options = new() { ConnectTimeout = TimeSpan.FromSeconds(5) };
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);

    /// <summary>Runs <paramref name="call"/> and returns what it threw; fails if it is still waiting after the guard's
    /// two minutes, far less than the call's one-hour timeout.</summary>
    internal static VirtException AbortedWithoutWaitingForTheTimeout(Action call)
    {
        var running = Task.Run(call);
        Assert.That(((IAsyncResult)running).AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(2)), Is.True, "the cancelled call is still waiting: it ignores its token");
        var e = Assert.Throws<VirtException>(() => running.GetAwaiter().GetResult())!;
        Assert.That(e.Code, Is.EqualTo(VirtErrorCode.OperationAborted), e.Message);
        return e;
    }

    [Test]
    public void ACommandCancelledWhileWaitingForItsReplyIsAbortedAtOnce()
    {
        using var cts = new CancellationTokenSource();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            peer.Expect("query-status");
            cts.Cancel(); // the command is on its way and will never be answered
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = AbortedWithoutWaitingForTheTimeout(() => client.Connection.Execute("query-status", timeout: OneHour, cancellationToken: cts.Token));
            Assert.That(e.Detail, Is.EqualTo("waiting for QEMU's answer to command 'query-status' was cancelled"));
        }

        server.Verify();
    }

    [Test]
    public void AJobCancelledWhileRunningIsCancelledInQemuAndAbortedAtOnce()
    {
        using var cts = new CancellationTokenSource();
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (start, _) = peer.Expect("snapshot-save");
            peer.SendEvent("JOB_STATUS_CHANGE", "{\"status\": \"running\", \"id\": \"j1\"}");
            peer.Reply(start, "{}");
            cts.Cancel(); // the job runs and would run for the hour
            var (cancel, _) = peer.Expect("job-cancel");
            peer.Reply(cancel, "{}");
            peer.SendEvent("JOB_STATUS_CHANGE", "{\"status\": \"concluded\", \"id\": \"j1\"}");
            peer.Serve(("query-jobs", "[{\"current-progress\": 0, \"status\": \"concluded\", \"total-progress\": 1, \"type\": \"snapshot-save\", \"id\": \"j1\", \"error\": \"Operation cancelled\"}]"), ("job-dismiss", "{}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            client.CancelGrace = OneHour;
            var e = AbortedWithoutWaitingForTheTimeout(() => client.RunJob("snapshot-save", "j1", new SnapshotSaveArguments("j1", "s", "disk0", ["disk0"]),
                QmpJsonContext.Default.SnapshotSaveArguments, null, cts.Token, OneHour));
            Assert.That(e.Detail, Is.EqualTo("QEMU job 'j1' (snapshot-save) was cancelled"));
        }

        server.Verify();
    }
}
