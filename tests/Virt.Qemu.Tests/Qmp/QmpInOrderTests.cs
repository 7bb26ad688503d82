using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>Two commands sent in one write and answered in order (a job's outcome and its dismissal; the run state and
/// the disks), against a scripted peer that reads both before it answers either.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpInOrderTests
{
    private static readonly QmpClientOptions Options = new() { ConnectTimeout = TimeSpan.FromSeconds(5) };

    [Test]
    public void BothCommandsArriveBeforeEitherReplyAndBothRepliesComeBack()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (first, _) = peer.Expect("query-jobs");
            var (second, arguments) = peer.Expect("job-dismiss");
            Assert.That(arguments, Does.Contain("\"j1\""));
            peer.ReplyError(first, "GenericError", "no jobs today");
            peer.Reply(second, "{}");
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var (jobs, dismissed) = client.Connection.ExecuteInOrder("query-jobs", null, null, "job-dismiss",
                new JobIdArguments("j1"), QmpJsonContext.Default.JobIdArguments);
            using (jobs)
            using (dismissed)
            {
                Assert.Multiple(() =>
                {
                    Assert.That(jobs.RootElement.GetProperty("error").GetProperty("desc").GetString(), Is.EqualTo("no jobs today"));
                    Assert.That(dismissed.RootElement.TryGetProperty("return", out _), Is.True, "the second ran although the first failed");
                });
            }
        }

        server.Verify();
    }

    [Test]
    public void StatusAndBlocksKeepsAFailedQueryBlockForWhoAsksForTheDisks()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (first, _) = peer.Expect("query-status");
            var (second, _) = peer.Expect("query-block");
            peer.Reply(first, "{\"running\": true, \"singlestep\": false, \"status\": \"running\"}");
            peer.ReplyError(second, "GenericError", "no disks today");
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var asked = client.QueryStatusAndBlocks();
            Assert.That(asked.Status.Status, Is.EqualTo("running"));
            var e = Assert.Throws<QmpCommandException>(() => asked.Blocks())!;
            Assert.That(e.Message, Does.Contain("no disks today"));
        }

        server.Verify();
    }

    [Test]
    public void APeerThatGoesAwayAfterTheFirstReplyFailsTheCallAndTheConnection()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (first, _) = peer.Expect("query-status");
            peer.Expect("query-block");
            peer.Reply(first, "{\"running\": true, \"singlestep\": false, \"status\": \"running\"}");
        });
        using var client = QmpClient.Connect(server.SocketPath, Options);
        Assert.Throws<QmpConnectionException>(() => client.QueryStatusAndBlocks());
        Assert.That(client.Connection.State, Is.EqualTo(QmpState.Broken));
    }
}
