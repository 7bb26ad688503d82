using System.Text;
using Virt.Qemu.Qmp;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>Lines the reader must give back byte for byte whatever the reads deliver: split across reads, longer
/// than the initial buffer, one huge line followed by small ones, a line ending exactly where the buffer ends.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class QmpLineReaderBufferTests
{
    /// <summary>Serves the bytes in reads of at most <paramref name="chunk"/> bytes, as a socket may; no read crosses
    /// the offset <paramref name="pauseAt"/>, as when the sender's next bytes come later.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk, int pauseAt = -1) : ReadOnlyTestStream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, chunk), (_position < pauseAt ? pauseAt : data.Length) - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }
    }

    private static string Line(char fill, int length, int id) => "{\"id\":" + id + ",\"s\":\"" + new string(fill, length) + "\"}";

    private static List<string> ReadAll(QmpLineReader reader)
    {
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(Encoding.UTF8.GetString(line.Span));
        }

        return lines;
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(4096)]
    [TestCase(1 << 20)]
    public void LinesOfEverySizeComeBackWholeWhateverTheReadSize(int chunk)
    {
        string[] lines =
        [
            Line('a', 10, 1), Line('b', 70_000, 2), Line('c', 5, 3), Line('d', 1_500_000, 4), Line('e', 3, 5),
            Line('f', 65_536 - 20, 6), Line('g', 200_000, 7), Line('h', 0, 8),
        ];
        byte[] data = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

        var read = ReadAll(new QmpLineReader(new ChunkedStream(data, chunk), maxLineBytes: 2 << 20));

        Assert.That(read, Is.EqualTo(lines));
    }

    [Test]
    public void ManySmallLinesFillingTheBufferMoreThanOnceComeBackInOrder()
    {
        var lines = Enumerable.Range(0, 20_000).Select(i => Line('x', i % 37, i)).ToArray();
        byte[] data = Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");

        var read = ReadAll(new QmpLineReader(new ChunkedStream(data, 65_536 + 13)));

        Assert.That(read, Is.EqualTo(lines));
    }

    [Test]
    public void ALineEndingExactlyAtTheBufferEndIsFollowedByTheNextOne()
    {
        // The first line with its newline fills the initial 64 KiB buffer exactly.
        string first = Line('a', 65_536 - 1 - Line('a', 0, 1).Length, 1);
        string second = Line('b', 100, 2);
        byte[] data = Encoding.UTF8.GetBytes(first + "\n" + second + "\n");

        var read = ReadAll(new QmpLineReader(new ChunkedStream(data, 1 << 20)));

        Assert.Multiple(() =>
        {
            Assert.That(first.Length + 1, Is.EqualTo(65_536));
            Assert.That(read, Is.EqualTo(new[] { first, second }));
        });
    }

    // false: the newline arrives in the read that brings the line's last bytes. true: the line's bytes end one read
    // and its newline comes in the next, so the buffer holds the whole line with no newline in it for one wait.
    [TestCase(false)]
    [TestCase(true)]
    public void ALineAtTheCapSplitAcrossReadsIsAcceptedAndOneOverIsRefused(bool newlineInALaterRead)
    {
        const int Cap = 300_000;
        byte[] atCap = Encoding.UTF8.GetBytes(new string('x', Cap) + "\n{}\n");
        byte[] overCap = Encoding.UTF8.GetBytes(new string('x', Cap + 1) + "\n{}\n");

        var accepted = ReadAll(new QmpLineReader(new ChunkedStream(atCap, 4093, newlineInALaterRead ? Cap : -1), Cap));
        var refused = Assert.Throws<QmpProtocolException>(
            () => ReadAll(new QmpLineReader(new ChunkedStream(overCap, 4093, newlineInALaterRead ? Cap + 1 : -1), Cap)));

        Assert.Multiple(() =>
        {
            Assert.That(accepted.Select(l => l.Length), Is.EqualTo(new[] { Cap, 2 }));
            Assert.That(refused!.Message, Is.EqualTo("QEMU sent a message longer than 300000 bytes"));
        });
    }

    [Test]
    public void BlanksAroundALineAreTrimmedButNotInsideIt()
    {
        byte[] data = Encoding.UTF8.GetBytes(" \t{\"a\": \" x \"}\t \r\n\t\r\n{}");

        var reader = new QmpLineReader(new ChunkedStream(data, 3));
        string first = Encoding.UTF8.GetString(reader.ReadLine()!.Value.Span);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("{\"a\": \" x \"}"));
            Assert.That(Assert.Throws<QmpProtocolException>(() => reader.ReadLine())!.Message, Is.EqualTo("QEMU closed the monitor connection in the middle of a message"));
        });
    }

    [Test]
    public void OnlyBlanksBeforeTheEndIsACleanEnd()
    {
        var reader = new QmpLineReader(new ChunkedStream(Encoding.UTF8.GetBytes("{}\n \t\r"), 2));

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(reader.ReadLine()!.Value.Span), Is.EqualTo("{}"));
            Assert.That(reader.ReadLine(), Is.Null);
        });
    }
}
