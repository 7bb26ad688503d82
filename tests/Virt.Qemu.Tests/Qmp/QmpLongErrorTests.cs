using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>
/// An error text of megabytes from QEMU is cut to its first 4 KiB in exception messages, with its size;
/// the whole text stays on <see cref="QmpCommandException.Description"/> and in the Trace log of the reply.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpLongErrorTests
{
    private static readonly QmpClientOptions Options = new() { ConnectTimeout = TimeSpan.FromSeconds(5) };

    private const int HugeLength = 3_000_000;

    private static readonly string Huge = new('x', HugeLength);

    private static readonly string Excerpt = new string('x', QmpMessages.MaxQemuTextInMessage) + "... (3000000 bytes)";

    [Test]
    public void CommandErrorOfMegabytesIsCappedInTheMessageAndKeptWhole()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("blockdev-del");
            peer.ReplyError(id, "GenericError", Huge);
            peer.ExpectClose();
        });
        using var logs = new ListLoggerFactory();
        using (var client = QmpClient.Connect(server.SocketPath, Options with { LoggerFactory = logs }))
        {
            var e = Assert.Throws<QmpCommandException>(() => client.BlockdevDel("n"))!;
            Assert.Multiple(() =>
            {
                Assert.That(e.Message, Is.EqualTo("operation failed: QEMU command 'blockdev-del' failed (GenericError): " + Excerpt));
                Assert.That(e.Description, Is.EqualTo(Huge));
                Assert.That(logs.Entries.Any(entry => entry.Level == Microsoft.Extensions.Logging.LogLevel.Trace && entry.Message.Contains(Huge, StringComparison.Ordinal)),
                    Is.True, "the whole reply is logged at Trace");
            });
        }

        server.Verify();
    }

    [Test]
    public void CommandErrorOfExactlyTheCapIsKeptWhole()
    {
        string atCap = new('y', QmpMessages.MaxQemuTextInMessage);
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("blockdev-del");
            peer.ReplyError(id, "GenericError", atCap);
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<QmpCommandException>(() => client.BlockdevDel("n"))!;
            Assert.That(e.Message, Is.EqualTo("operation failed: QEMU command 'blockdev-del' failed (GenericError): " + atCap));
        }

        server.Verify();
    }

    [Test]
    public void JobErrorOfMegabytesIsCappedInTheMessage()
    {
        using var server = new FakeQmpServer(peer =>
        {
            peer.Handshake();
            var (id, _) = peer.Expect("snapshot-delete");
            peer.SendEvent("JOB_STATUS_CHANGE", "{\"status\": \"created\", \"id\": \"j1\"}");
            peer.Reply(id, "{}");
            peer.SendEvent("JOB_STATUS_CHANGE", "{\"status\": \"aborting\", \"id\": \"j1\"}");
            peer.SendEvent("JOB_STATUS_CHANGE", "{\"status\": \"concluded\", \"id\": \"j1\"}");
            peer.Serve(("query-jobs", "[{\"current-progress\": 1, \"status\": \"concluded\", \"total-progress\": 1, \"type\": \"snapshot-delete\", \"id\": \"j1\", \"error\": \"" + Huge + "\"}]"),
                ("job-dismiss", "{}"));
            peer.ExpectClose();
        });
        using (var client = QmpClient.Connect(server.SocketPath, Options))
        {
            var e = Assert.Throws<VirtException>(() => client.SnapshotDelete("j1", "x", ["disk0"]))!;
            Assert.That(e.Message, Is.EqualTo("operation failed: QEMU job 'j1' (snapshot-delete) failed: " + Excerpt));
        }

        server.Verify();
    }
}
