using System.Text;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>The framing layer alone: lines, caps, classification, hostile bytes.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpFramingTests
{
    [Test]
    public void LineReaderSplitsCrLfLinesSkipsBlankOnesEndsWithNull()
    {
        var reader = new QmpLineReader(new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}\r\n\r\n  \n{\"b\":2}\n \r\n")));
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(reader.ReadLine()!.Value.Span), Is.EqualTo("{\"a\":1}"));
            Assert.That(Encoding.UTF8.GetString(reader.ReadLine()!.Value.Span), Is.EqualTo("{\"b\":2}"));
            Assert.That(reader.ReadLine(), Is.Null);
        });
    }

    [Test]
    public void LineReaderAcceptsALineAtTheCapRejectsOneByteMore()
    {
        var atCap = new QmpLineReader(new MemoryStream(Encoding.UTF8.GetBytes(new string('x', 16) + "\n")), maxLineBytes: 16);
        var overCap = new QmpLineReader(new MemoryStream(Encoding.UTF8.GetBytes(new string('x', 17) + "\n")), maxLineBytes: 16);
        Assert.Multiple(() =>
        {
            Assert.That(atCap.ReadLine()!.Value.Length, Is.EqualTo(16));
            Assert.That(Assert.Throws<QmpProtocolException>(() => overCap.ReadLine())!.Message, Is.EqualTo("QEMU sent a message longer than 16 bytes"));
        });
    }

    [Test]
    public void LineReaderEndlessLineWithoutNewlineStopsAtTheCap()
    {
        var endless = new EndlessStream();
        var reader = new QmpLineReader(endless);
        Assert.Throws<QmpProtocolException>(() => reader.ReadLine());
        Assert.That(endless.Served, Is.LessThan(QmpLineReader.MaxLineBytes + (1 << 20)), "reads stop right after the cap");
    }

    [Test]
    public void LineReaderTruncatedLineAtEofIsAProtocolError()
    {
        var reader = new QmpLineReader(new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\"")));
        reader.ReadLine();
        Assert.That(Assert.Throws<QmpProtocolException>(() => reader.ReadLine())!.Message, Is.EqualTo("QEMU closed the monitor connection in the middle of a message"));
    }

    [TestCase("{\"QMP\": {\"version\": {}}}", "Greeting", -1L)]
    [TestCase("{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}", "Event", -1L)]
    [TestCase("{\"return\": {}, \"id\": 42}", "Reply", 42L)]
    [TestCase("{\"id\": 7, \"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}}", "Reply", 7L)]
    [TestCase("{\"return\": {}, \"id\": -3}", "Reply", -1L)]
    [TestCase("{\"return\": {}, \"id\": 1.5}", "Reply", -1L)]
    public void InboundClassifiesMessages(string line, string kind, long id)
    {
        var message = QmpInbound.Parse(Encoding.UTF8.GetBytes(line));
        using (message.Document)
        {
            Assert.Multiple(() =>
            {
                Assert.That(message.Kind.ToString(), Is.EqualTo(kind));
                Assert.That(message.Id, Is.EqualTo(id));
            });
        }
    }

    [Test]
    public void InboundDeeplyNestedJsonIsAProtocolError()
    {
        string deep = "{\"return\": " + new string('[', 10_000) + new string(']', 10_000) + ", \"id\": 1}";
        Assert.That(Assert.Throws<QmpProtocolException>(() => QmpInbound.Parse(Encoding.UTF8.GetBytes(deep)))!.Message, Does.StartWith("QEMU sent malformed JSON: "));
    }

    [Test]
    public void GreetingWithoutVersionIsAProtocolError()
    {
        var message = QmpInbound.Parse("{\"QMP\": {\"capabilities\": []}}"u8);
        using (message.Document)
        {
            Assert.That(Assert.Throws<QmpProtocolException>(() => QmpGreeting.FromDocument(message.Document))!.Message, Is.EqualTo("QEMU sent a malformed greeting"));
        }
    }

    [Test]
    public void MutatedStreamsOnlyEverYieldMessagesOrProtocolErrors()
    {
        var random = new Random(20261122);
        byte[] valid = Encoding.UTF8.GetBytes(
            FakeQmpServer.Greeting + "\n{\"return\": {\"status\": \"running\", \"running\": true}, \"id\": 1}\n"
            + "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"JOB_STATUS_CHANGE\", \"data\": {\"status\": \"concluded\", \"id\": \"j\"}}\n"
            + "{\"id\": 2, \"error\": {\"class\": \"GenericError\", \"desc\": \"d\"}}\n");
        int messages = 0;
        int violations = 0;
        for (int round = 0; round < 3000; round++)
        {
            byte[] bytes = (byte[])valid.Clone();
            int mutations = random.Next(1, 8);
            for (int m = 0; m < mutations; m++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var reader = new QmpLineReader(new MemoryStream(bytes), maxLineBytes: 4096);
            try
            {
                while (reader.ReadLine() is { } line)
                {
                    var message = QmpInbound.Parse(line.Span);
                    using (message.Document)
                    {
                        if (message.Kind == QmpInboundKind.Greeting)
                        {
                            QmpGreeting.FromDocument(message.Document);
                        }
                        else if (message.Kind == QmpInboundKind.Event)
                        {
                            QmpEvent.FromDocument(message.Document);
                        }
                    }

                    messages++;
                }
            }
            catch (QmpProtocolException)
            {
                violations++;
            }
        }

        Assert.That(messages + violations, Is.GreaterThan(3000));
        Assert.That(violations, Is.GreaterThan(0));
    }

    private sealed class EndlessStream : ReadOnlyTestStream
    {
        public long Served { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'a', offset, count);
            Served += count;
            return count;
        }
    }
}
