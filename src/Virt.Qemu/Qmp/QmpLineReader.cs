namespace Virt.Qemu.Qmp;

/// <summary>
/// Splits a QMP byte stream into lines. One object per line is QMP's framing; a line longer than
/// <see cref="MaxLineBytes"/> (as in qemu.qmp and libvirt) or a stream that ends inside a line is a
/// protocol violation. Not thread-safe: one reader at a time owns it (the connection's read turn).
/// </summary>
internal sealed class QmpLineReader
{
    /// <summary>The largest line accepted, in bytes.</summary>
    public const int MaxLineBytes = 10 * 1024 * 1024;

    private const int InitialBufferBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer = new byte[InitialBufferBytes];
    private int _start;
    private int _end;
    private int _scanFrom;

    public QmpLineReader(Stream stream, int maxLineBytes = MaxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>
    /// Reads the next non-blank line, without its line end. The memory is valid until the next call.
    /// </summary>
    /// <returns>The line, or <c>null</c> when the stream ended cleanly between lines.</returns>
    /// <exception cref="QmpProtocolException">The line is too long or the stream ended inside it.</exception>
    /// <exception cref="IOException">Reading failed.</exception>
    public ReadOnlyMemory<byte>? ReadLine()
    {
        while (true)
        {
            if (TryReadBufferedLine() is { } line)
            {
                return line;
            }

            if (!Fill())
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The next non-blank line already in the buffer, without reading the stream; <c>null</c> when no whole line is
    /// buffered. The memory is valid until the next <see cref="Fill"/>.
    /// </summary>
    /// <exception cref="QmpProtocolException">The line is too long.</exception>
    public ReadOnlyMemory<byte>? TryReadBufferedLine()
    {
        while (true)
        {
            int found = _buffer.AsSpan(_scanFrom, _end - _scanFrom).IndexOf((byte)'\n');
            if (found < 0)
            {
                _scanFrom = _end;
                if (_end - _start > _maxLineBytes)
                {
                    throw new QmpProtocolException(QmpMessages.LineTooLong(_maxLineBytes));
                }

                return null;
            }

            int newline = _scanFrom + found;
            int length = newline - _start;
            if (length > _maxLineBytes)
            {
                throw new QmpProtocolException(QmpMessages.LineTooLong(_maxLineBytes));
            }

            ReadOnlyMemory<byte> line = _buffer.AsMemory(_start, length);
            _start = newline + 1;
            _scanFrom = _start;
            line = Trim(line);
            if (line.Length > 0)
            {
                return line;
            }
        }
    }

    /// <summary>One read of the stream into the buffer (blocks until something arrives).</summary>
    /// <returns><c>false</c> when the stream ended cleanly between lines.</returns>
    /// <exception cref="QmpProtocolException">The stream ended inside a line.</exception>
    /// <exception cref="IOException">Reading failed.</exception>
    public bool Fill()
    {
        MakeRoom();
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            if (Trim(_buffer.AsMemory(_start, _end - _start)).Length > 0)
            {
                throw new QmpProtocolException(QmpMessages.TruncatedAtEof);
            }

            return false;
        }

        _end += read;
        return true;
    }

    private void MakeRoom()
    {
        if (_start == _end)
        {
            _start = _end = _scanFrom = 0;
            if (_buffer.Length > InitialBufferBytes * 16)
            {
                _buffer = new byte[InitialBufferBytes];
            }

            return;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        int pending = _end - _start;
        if (_start > 0 && pending < _buffer.Length / 2)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }
        else
        {
            // The cap plus one read's worth is the most the buffer ever needs to hold.
            int size = (int)Math.Min((long)_buffer.Length * 2, (long)_maxLineBytes + InitialBufferBytes + 1);
            var bigger = new byte[Math.Max(size, pending + 1)];
            Buffer.BlockCopy(_buffer, _start, bigger, 0, pending);
            _buffer = bigger;
        }

        _scanFrom -= _start;
        _start = 0;
        _end = pending;
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        int first = 0;
        while (first < span.Length && IsBlank(span[first]))
        {
            first++;
        }

        int last = span.Length;
        while (last > first && IsBlank(span[last - 1]))
        {
            last--;
        }

        return line[first..last];
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
