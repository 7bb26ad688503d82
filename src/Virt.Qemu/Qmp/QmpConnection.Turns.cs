using System.Net.Sockets;

namespace Virt.Qemu.Qmp;

/// <summary>
/// Who reads the socket. A caller waiting for its reply reads it itself, so the kernel wakes that caller and nobody
/// else (a reader thread that handed each reply over woke two threads per call). One thread at a time holds the read
/// turn and routes every message it reads, as the reader thread does: other callers' replies, events (to queues and
/// the event thread), and the end of the connection. A caller that finds the turn taken waits until its reply is
/// routed to it or the turn is handed to it. The reader thread reads only while no caller holds or wants the turn,
/// so events between calls and a QEMU that goes away are still seen at once.
/// </summary>
internal sealed partial class QmpConnection
{
    /// <summary>The longest a turn holder waits in one poll, so that it notices cancellation.</summary>
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(20);

    private readonly object _turnLock = new();
    private readonly object _readerTurn = new();
    private readonly List<PendingCall> _turnWanted = [];

    /// <summary>Set while nobody holds or wants the turn: the reader thread may read.</summary>
    private readonly ManualResetEventSlim _turnFree = new(true);

    private object? _turnHolder;
    private QmpLineReader? _lines;
    private volatile bool _shut;

    /// <summary>
    /// Reads the socket on the caller's thread until <paramref name="call"/> is done, its time runs out, the token
    /// fires or the connection ends, taking turns with other waiting callers. The caller then looks at the call as before.
    /// </summary>
    private void ReadUntilReplied(PendingCall call, Func<TimeSpan> remaining, CancellationToken cancellationToken)
    {
        try
        {
            while (!call.IsDone && !cancellationToken.IsCancellationRequested && !_shut)
            {
                var left = remaining();
                if (left != Timeout.InfiniteTimeSpan && left <= TimeSpan.Zero)
                {
                    return;
                }

                call.ResetTurnSignal();
                if (call.IsDone)
                {
                    return;
                }

                if (TryTakeTurn(call))
                {
                    ReadWhileHolding(call, remaining, cancellationToken);
                    return;
                }

                call.WaitTurnSignal(left, cancellationToken);
            }
        }
        finally
        {
            LeaveTurn(call);
        }
    }

    private void ReadWhileHolding(PendingCall call, Func<TimeSpan> remaining, CancellationToken cancellationToken)
    {
        while (!call.IsDone && !cancellationToken.IsCancellationRequested && !_shut)
        {
            var left = remaining();
            if (left != Timeout.InfiniteTimeSpan && left <= TimeSpan.Zero)
            {
                return;
            }

            var slice = left == Timeout.InfiniteTimeSpan || left > PollSlice ? PollSlice : left;
            ReadOnce((int)Math.Max(1, slice.TotalMicroseconds));
        }
    }

    /// <summary>Takes the turn when it is free; otherwise queues <paramref name="call"/> for it.</summary>
    private bool TryTakeTurn(PendingCall call)
    {
        lock (_turnLock)
        {
            _turnFree.Reset();
            if (_turnHolder == call)
            {
                return true;
            }

            if (_turnHolder is null)
            {
                _turnHolder = call;
                _turnWanted.Remove(call);
                return true;
            }

            if (!_turnWanted.Contains(call))
            {
                _turnWanted.Add(call);
            }

            return false;
        }
    }

    /// <summary>The reader thread takes the turn only when no caller holds or wants it.</summary>
    private bool TryTakeReaderTurn()
    {
        lock (_turnLock)
        {
            if (_turnHolder is not null || _turnWanted.Count > 0)
            {
                return false;
            }

            _turnHolder = _readerTurn;
            return true;
        }
    }

    /// <summary>Gives up the turn (or the wish for it): to the first caller still waiting, else to the reader thread.</summary>
    private void LeaveTurn(object holder)
    {
        PendingCall? next = null;
        lock (_turnLock)
        {
            if (holder is PendingCall call)
            {
                _turnWanted.Remove(call);
            }

            if (_turnHolder != holder)
            {
                return;
            }

            _turnHolder = null;
            while (_turnWanted.Count > 0)
            {
                var wanting = _turnWanted[0];
                _turnWanted.RemoveAt(0);
                if (!wanting.IsDone)
                {
                    next = wanting;
                    _turnHolder = wanting;
                    break;
                }
            }

            if (next is null)
            {
                _turnFree.Set();
            }
        }

        next?.WakeForTurn();
    }

    /// <summary>
    /// The reader thread: reads what arrives while no caller holds or wants the turn (the greeting, events between
    /// calls, late replies, the end of the connection).
    /// </summary>
    private void ReadLoop()
    {
        var socket = _socket!;
        while (true)
        {
            _turnFree.Wait();
            if (_shut)
            {
                return;
            }

            bool readable;
            try
            {
                readable = socket.Poll(-1, SelectMode.SelectRead);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Break(QmpMessages.IoError(e.Message), e);
                return;
            }

            if (_shut)
            {
                return;
            }

            if (readable && TryTakeReaderTurn())
            {
                try
                {
                    ReadOnce(0);
                }
                finally
                {
                    LeaveTurn(_readerTurn);
                }
            }
        }
    }

    /// <summary>
    /// One read by the turn holder: waits up to <paramref name="pollMicroseconds"/> for data, reads what is there and
    /// handles every whole line it completes. A failure breaks the connection.
    /// </summary>
    private void ReadOnce(int pollMicroseconds)
    {
        try
        {
            if (!_socket!.Poll(pollMicroseconds, SelectMode.SelectRead))
            {
                return;
            }

            var lines = _lines!;
            if (!lines.Fill())
            {
                Break(QmpMessages.EndOfFile, null);
                return;
            }

            while (lines.TryReadBufferedLine() is { } line)
            {
                QmpLog.Received(_logger, line.Span);
                Handle(QmpInbound.Parse(line.Span), line.Length);
            }
        }
        catch (QmpProtocolException e)
        {
            Break(e.Message, e);
        }
        catch (Exception e) when (IsPeerGone(e))
        {
            // QEMU died with our command unread: the kernel resets instead of closing.
            Break(QmpMessages.EndOfFile, e);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Break(QmpMessages.IoError(e.Message), e);
        }
#pragma warning disable CA1031 // The reader must never die silently: any failure breaks the connection.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Break("internal error in the QMP reader: " + e.Message, e);
        }
    }
}
