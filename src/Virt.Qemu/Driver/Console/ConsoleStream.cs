using Microsoft.Win32.SafeHandles;

namespace Virt.Qemu.Driver.Console;

/// <summary>
/// A domain's character device as a two-way stream: the pty QEMU made for it, opened raw. Reads wait in short polls so
/// that the stream ends (reads return 0) when it is disposed, when another session takes the device over, or when
/// QEMU closes its side.
/// </summary>
internal sealed class ConsoleStream : Stream
{
    private const int PollMs = 200;

    private readonly SafeFileHandle _handle;
    private readonly ConsoleSession _session;

    public ConsoleStream(int fd, ConsoleSession session)
    {
        _handle = new SafeFileHandle(fd, ownsHandle: true);
        _session = session;
    }

    public override bool CanRead => !_handle.IsClosed;

    public override bool CanWrite => !_handle.IsClosed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_session.IsHeld)
        {
            if (!Enter(out int fd))
            {
                return 0;
            }

            try
            {
                int events = PtyNative.Poll(fd, PtyNative.PollIn, PollMs, out int pollErrno);
                if (events < 0 && pollErrno != PtyNative.Eintr)
                {
                    throw new IOException($"poll on the console failed (errno {pollErrno})");
                }

                if (events > 0 && ReadOnce(fd, buffer) is { } n)
                {
                    return n;
                }
            }
            finally
            {
                _handle.DangerousRelease();
            }
        }

        return 0;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (!_session.IsHeld || !Enter(out int fd))
            {
                throw new IOException("the console session has ended (another session took the console over, or the domain stopped)");
            }

            try
            {
                int n = PtyNative.Write(fd, buffer, out int errno);
                if (n > 0)
                {
                    buffer = buffer[n..];
                }
                else if (n < 0 && errno is PtyNative.Eagain or PtyNative.Eintr)
                {
                    _ = PtyNative.Poll(fd, PtyNative.PollOut, PollMs, out _);
                }
                else if (n < 0)
                {
                    throw new IOException($"writing to the console failed (errno {errno})");
                }
            }
            finally
            {
                _handle.DangerousRelease();
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _session.Dispose();
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }

    private static int? ReadOnce(int fd, Span<byte> buffer)
    {
        int n = PtyNative.Read(fd, buffer, out int errno);
        if (n >= 0)
        {
            return n;
        }

        // EIO: QEMU closed its side of the pty (it ended).
        return errno switch
        {
            PtyNative.Eagain or PtyNative.Eintr => null,
            PtyNative.Eio => 0,
            _ => throw new IOException($"reading the console failed (errno {errno})"),
        };
    }

    /// <summary>Holds the descriptor open for one call; false once the stream is disposed. A true return must be
    /// followed by <c>_handle.DangerousRelease()</c>.</summary>
    private bool Enter(out int fd)
    {
        fd = -1;
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        fd = (int)_handle.DangerousGetHandle();
        return added;
    }
}
