using System.Text;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>Each way a line from QEMU can fail to be a QMP message, with the error the connection breaks with;
/// nesting at and one past the depth limit; reply ids at the edge of ours.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpInboundShapeTests
{
    private static string Refusal(string line) =>
        Assert.Throws<QmpProtocolException>(() => QmpInbound.Parse(Encoding.UTF8.GetBytes(line)))!.Message;

    [TestCase("[1, 2]", "QEMU sent a JSON value that is not an object")]
    [TestCase("\"text\"", "QEMU sent a JSON value that is not an object")]
    [TestCase("{\"QMP\": 1}", "QEMU sent a malformed greeting")]
    [TestCase("{\"QMP\": null}", "QEMU sent a malformed greeting")]
    [TestCase("{\"event\": 5, \"timestamp\": {}}", "QEMU sent a malformed event name")]
    [TestCase("{\"return\": {}}", "QEMU sent a reply without an id (it could not parse a command)")]
    [TestCase("{\"error\": {\"class\": \"GenericError\", \"desc\": \"d\"}}", "QEMU sent a reply without an id (it could not parse a command)")]
    [TestCase("{\"error\": \"bad\", \"id\": 1}", "QEMU sent a malformed error reply")]
    [TestCase("{\"error\": {\"desc\": \"d\"}, \"id\": 1}", "QEMU sent a malformed error reply")]
    [TestCase("{\"error\": {\"class\": 3, \"desc\": \"d\"}, \"id\": 1}", "QEMU sent a malformed error reply")]
    [TestCase("{\"error\": {\"class\": \"GenericError\"}, \"id\": 1}", "QEMU sent a malformed error reply")]
    [TestCase("{\"error\": {\"class\": \"GenericError\", \"desc\": {}}, \"id\": 1}", "QEMU sent a malformed error reply")]
    [TestCase("{\"greeting\": {}}", "QEMU sent an object that is neither a greeting, an event nor a reply")]
    [TestCase("{}", "QEMU sent an object that is neither a greeting, an event nor a reply")]
    public void LinesThatAreNoQmpMessageAreRefusedWithTheReason(string line, string message)
    {
        Assert.That(Refusal(line), Is.EqualTo(message));
    }

    [Test]
    public void InvalidUtf8AndBrokenJsonAreRefused()
    {
        var notUtf8 = Assert.Throws<QmpProtocolException>(() => QmpInbound.Parse([(byte)'{', 0xC3, 0x28, (byte)'}']));

        Assert.Multiple(() =>
        {
            Assert.That(notUtf8!.Message, Is.EqualTo("QEMU sent a message that is not valid UTF-8"));
            Assert.That(Refusal("{\"return\": {}, \"id\": 1"), Does.StartWith("QEMU sent malformed JSON: "));
            Assert.That(Refusal("{\"return\": {}, \"id\": 1}}"), Does.StartWith("QEMU sent malformed JSON: "));
        });
    }

    [Test]
    public void NestingAtTheDepthLimitIsReadAndOneLevelDeeperIsRefused()
    {
        // The reply object is one level; its return value adds the rest.
        static string Nested(int depth) => "{\"return\": " + new string('[', depth - 1) + new string(']', depth - 1) + ", \"id\": 1}";

        var atLimit = QmpInbound.Parse(Encoding.UTF8.GetBytes(Nested(256)));
        atLimit.Document.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(atLimit.Kind, Is.EqualTo(QmpInboundKind.Reply));
            Assert.That(Refusal(Nested(257)), Does.StartWith("QEMU sent malformed JSON: "));
        });
    }

    [TestCase("0", 0L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    [TestCase("9223372036854775808", -1L)]
    [TestCase("-1", -1L)]
    [TestCase("\"1\"", -1L)]
    [TestCase("null", -1L)]
    public void ReplyIdsThatAreNotOursAreMinusOne(string id, long expected)
    {
        var message = QmpInbound.Parse(Encoding.UTF8.GetBytes("{\"return\": {}, \"id\": " + id + "}"));
        using (message.Document)
        {
            Assert.Multiple(() =>
            {
                Assert.That(message.Kind, Is.EqualTo(QmpInboundKind.Reply));
                Assert.That(message.Id, Is.EqualTo(expected));
            });
        }
    }

    [Test]
    public void AnEventWithAnErrorMemberIsStillAnEventAndAGreetingWinsOverEverything()
    {
        var evt = QmpInbound.Parse("{\"event\": \"STOP\", \"error\": 1, \"timestamp\": {\"seconds\": 1, \"microseconds\": 0}}"u8);
        var greeting = QmpInbound.Parse("{\"QMP\": {\"version\": {}}, \"event\": \"STOP\", \"return\": {}}"u8);
        evt.Document.Dispose();
        greeting.Document.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(evt.Kind, Is.EqualTo(QmpInboundKind.Event));
            Assert.That(greeting.Kind, Is.EqualTo(QmpInboundKind.Greeting));
        });
    }
}
