using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Virt.Qemu.Qmp;

internal sealed partial class QmpConnection
{
    private readonly Dictionary<long, PendingCall> _pending = [];
    private readonly HashSet<long> _abandoned = [];
    private readonly object _writeGate = new();
    private long _nextId;

    /// <summary>
    /// Sends a command and waits for its reply. The returned document's root holds <c>return</c>;
    /// the caller disposes it.
    /// </summary>
    /// <param name="command">The QMP command name.</param>
    /// <param name="arguments">The arguments object, or <c>null</c> for none.</param>
    /// <param name="argumentsType">How to serialize <paramref name="arguments"/>; <c>null</c> sends no arguments.</param>
    /// <param name="timeout">How long to wait; <c>null</c> takes the command's default from <see cref="QmpTimeouts"/>.</param>
    /// <param name="cancellationToken">Stops waiting (the command may still run in QEMU).</param>
    /// <exception cref="QmpCommandException">QEMU answered with an error.</exception>
    /// <exception cref="QmpConnectionException">The connection is or became broken.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationTimeout"/> when no reply came in time;
    /// <see cref="VirtErrorCode.OperationAborted"/> when cancelled.</exception>
    public JsonDocument Execute(string command, object? arguments = null, JsonTypeInfo? argumentsType = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        var reply = ExecuteCore(command, arguments, argumentsType, timeout ?? QmpTimeouts.ForCommand(command), cancellationToken, negotiating: false);
        ThrowIfError(command, reply);
        return reply;
    }

    /// <summary>
    /// Sends a command whose arguments are given as JSON and returns QEMU's reply as it came, error
    /// replies included (no exception for those). The caller disposes the document.
    /// </summary>
    /// <exception cref="QmpConnectionException">The connection is or became broken.</exception>
    /// <exception cref="VirtException">No reply in time, or cancelled.</exception>
    public JsonDocument ExecuteUnchecked(string command, JsonElement? arguments, bool outOfBand, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        long id = Interlocked.Increment(ref _nextId);
        var bytes = QmpCommandWriter.WriteRaw(command, id, arguments, outOfBand && OutOfBandEnabled);
        return SendAndWait(command, id, bytes, timeout ?? QmpTimeouts.ForCommand(command), cancellationToken, negotiating: false);
    }

    private JsonDocument ExecuteCore(string command, object? arguments, JsonTypeInfo? argumentsType, TimeSpan timeout, CancellationToken cancellationToken, bool negotiating)
    {
        long id = Interlocked.Increment(ref _nextId);
        var bytes = QmpCommandWriter.Write(command, id, arguments, argumentsType);
        var reply = SendAndWait(command, id, bytes, timeout, cancellationToken, negotiating);
        if (negotiating)
        {
            ThrowIfError(command, reply);
        }

        return reply;
    }

    private static void ThrowIfError(string command, JsonDocument reply)
    {
        if (reply.RootElement.TryGetProperty("error"u8, out var error))
        {
            string errorClass = error.GetProperty("class"u8).GetString()!;
            string description = error.GetProperty("desc"u8).GetString()!;
            reply.Dispose();
            throw new QmpCommandException(command, errorClass, description);
        }
    }

    private JsonDocument SendAndWait(string command, long id, ReadOnlyMemory<byte> bytes, TimeSpan timeout, CancellationToken cancellationToken, bool negotiating)
    {
        if (Thread.CurrentThread == _reader)
        {
            throw new InvalidOperationException("QMP commands cannot be sent from an event handler: the reader thread would wait for itself. Queue the work instead (SubscribeQueue).");
        }

        var call = new PendingCall();
        var fullTimeout = timeout;
        lock (_gate)
        {
            if (_state != QmpState.Running && !(negotiating && _state == QmpState.Connecting))
            {
                ThrowForState(_state);
            }

            _pending.Add(id, call);
        }

        long started = Environment.TickCount64;
        if (!Monitor.TryEnter(_writeGate, ClampToMilliseconds(timeout)))
        {
            // Another caller's write is stuck (QEMU stopped reading): give up before sending anything.
            lock (_gate)
            {
                _pending.Remove(id);
            }

            throw new VirtException(VirtErrorCode.OperationTimeout, QmpMessages.CommandTimeout(command, timeout));
        }

        try
        {
            QmpLog.Sent(_logger, bytes.Span);
            _stream!.Write(bytes.Span);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Break(QmpMessages.IoError(e.Message), e);
        }
        finally
        {
            Monitor.Exit(_writeGate);
        }

        if (timeout != Timeout.InfiniteTimeSpan)
        {
            timeout -= TimeSpan.FromMilliseconds(Math.Min(Environment.TickCount64 - started, (long)timeout.TotalMilliseconds));
        }

        if (!call.Wait(timeout, cancellationToken))
        {
            bool gaveUp;
            lock (_gate)
            {
                gaveUp = _pending.Remove(id);
                if (gaveUp)
                {
                    _abandoned.Add(id);
                }
            }

            if (gaveUp)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw new VirtException(VirtErrorCode.OperationAborted, QmpMessages.CommandCancelled(command));
                }

                throw new VirtException(VirtErrorCode.OperationTimeout, QmpMessages.CommandTimeout(command, fullTimeout));
            }

            call.WaitCompleted();
        }

        if (call.Reply is { } reply)
        {
            return reply;
        }

        throw new QmpConnectionException(call.FailureReason!, call.FailureCause);
    }

    private static int ClampToMilliseconds(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue - 1);

    private PendingCall[] TakeAllPending()
    {
        var calls = _pending.Values.ToArray();
        _pending.Clear();
        _abandoned.Clear();
        return calls;
    }

    /// <summary>Hands a reply to its caller; <c>false</c> when the id is unknown (a protocol violation).</summary>
    private bool DeliverReply(long id, JsonDocument reply)
    {
        PendingCall? call;
        lock (_gate)
        {
            if (id < 0 || !_pending.Remove(id, out call))
            {
                if (id >= 0 && _abandoned.Remove(id))
                {
                    reply.Dispose();
                    QmpLog.LateReply(_logger, id);
                    return true;
                }

                return false;
            }
        }

        call.Complete(reply);
        return true;
    }
}
