using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Virt.Qemu.Qmp;

internal sealed partial class QmpConnection
{
    private readonly Dictionary<long, PendingCall> _pending = [];
    /// <summary>Ids of calls that gave up, kept to drop their late replies; at most <see cref="QmpClientOptions.MaxAbandonedCalls"/>.</summary>
    private readonly HashSet<long> _abandoned = [];
    private readonly Queue<long> _abandonedOrder = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private long _nextId;

    /// <summary>The highest id dropped from <see cref="_abandoned"/>: a reply with an id up to it is taken for a very late one.</summary>
    private long _forgottenUpTo;

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

    internal static void ThrowIfError(string command, JsonDocument reply)
    {
        if (reply.RootElement.TryGetProperty("error"u8, out var error))
        {
            string errorClass = error.GetProperty("class"u8).GetString()!;
            string description = error.GetProperty("desc"u8).GetString()!;
            reply.Dispose();
            throw new QmpCommandException(command, errorClass, description);
        }
    }

    private JsonDocument SendAndWait(string command, long id, ReadOnlyMemory<byte> bytes, TimeSpan timeout, CancellationToken cancellationToken, bool negotiating, SafeHandle? fd = null)
    {
        if (IsEventThread)
        {
            throw new InvalidOperationException("QMP commands cannot be sent from an event handler: the handler would hold up every later event. Queue the work instead (SubscribeQueue).");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            throw new VirtException(VirtErrorCode.OperationAborted, QmpMessages.CommandNotSent(command));
        }

        var call = new PendingCall();
        long started = Stopwatch.GetTimestamp();
        TimeSpan Remaining() => timeout == Timeout.InfiniteTimeSpan
            ? Timeout.InfiniteTimeSpan
            : TimeSpan.FromTicks(Math.Max(0, (timeout - Stopwatch.GetElapsedTime(started)).Ticks));

        lock (_gate)
        {
            if (_state != QmpState.Running && !(negotiating && _state == QmpState.Connecting))
            {
                ThrowForState(_state);
            }

            _pending.Add(id, call);
        }

        bool entered;
        try
        {
            // Another caller's write may be stuck (QEMU stopped reading): wait no longer than this call may.
            entered = _writeGate.Wait(ClampToMilliseconds(Remaining()), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Forget(id, abandoned: false);
            throw new VirtException(VirtErrorCode.OperationAborted, QmpMessages.CommandNotSent(command));
        }

        if (!entered)
        {
            Forget(id, abandoned: false);
            throw new VirtException(VirtErrorCode.OperationTimeout, QmpMessages.CommandTimeout(command, timeout));
        }

        WriteOutcome outcome;
        try
        {
            outcome = call.IsDone ? WriteOutcome.Written : Write(bytes.Span, Remaining(), fd);
        }
        finally
        {
            _writeGate.Release();
        }

        if (outcome == WriteOutcome.NotSent)
        {
            Forget(id, abandoned: false);
            throw new VirtException(VirtErrorCode.OperationTimeout, QmpMessages.CommandTimeout(command, timeout));
        }

        if (outcome == WriteOutcome.CallTimedOut)
        {
            // Part of the command may be in the socket: the framing is lost, so nobody can use the connection.
            Break(QmpMessages.WriteTimeout(command, timeout), null);
            throw new VirtException(VirtErrorCode.OperationTimeout, QmpMessages.CommandTimeout(command, timeout));
        }

        return AwaitReply(command, id, call, timeout, Remaining, cancellationToken);
    }

    /// <summary>Waits for the reply of a sent call, reading the socket in turn with other callers.</summary>
    private JsonDocument AwaitReply(string command, long id, PendingCall call, TimeSpan timeout, Func<TimeSpan> remaining, CancellationToken cancellationToken)
    {
        ReadUntilReplied(call, remaining, cancellationToken);
        if (!call.Wait(remaining(), cancellationToken))
        {
            if (Forget(id, abandoned: true))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw new VirtException(VirtErrorCode.OperationAborted, QmpMessages.CommandCancelled(command));
                }

                throw new VirtException(VirtErrorCode.OperationTimeout, QmpMessages.CommandTimeout(command, timeout));
            }

            call.WaitCompleted();
        }

        if (call.Reply is { } reply)
        {
            return reply;
        }

        throw new QmpConnectionException(call.FailureReason!, call.FailureCause);
    }

    private enum WriteOutcome
    {
        /// <summary>Sent whole, or failed in a way that broke the connection (the call then fails with the reason).</summary>
        Written,

        /// <summary>The call's time ran out before a byte was written.</summary>
        NotSent,

        /// <summary>The call's own time ran out while QEMU was not reading.</summary>
        CallTimedOut,
    }

    /// <summary>
    /// Writes one command, blocking at most <paramref name="remaining"/> (the call's time left) or
    /// the connection's write timeout, whichever is shorter. Runs under the write gate. A <paramref name="fd"/>
    /// travels with the first bytes (<see cref="QmpFdPassing"/>).
    /// </summary>
    private WriteOutcome Write(ReadOnlySpan<byte> bytes, TimeSpan remaining, SafeHandle? fd = null)
    {
        var socket = _socket!;
        bool callBound = remaining != Timeout.InfiniteTimeSpan && remaining < _options.WriteTimeout;
        var limit = callBound ? remaining : _options.WriteTimeout;
        if (limit <= TimeSpan.Zero)
        {
            return WriteOutcome.NotSent;
        }

        long started = Stopwatch.GetTimestamp();
        try
        {
            int sent = 0;
            while (sent < bytes.Length)
            {
                var left = limit - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    return TimedOut();
                }

                // 0 would mean "no limit" to the socket: at least 1 ms.
                if (fd is not null && sent == 0)
                {
                    try
                    {
                        sent = QmpFdPassing.Send(socket, bytes, fd, left);
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
                    {
                        // Nothing went: the descriptor and the command travel together or not at all.
                        return callBound ? WriteOutcome.NotSent : TimedOut();
                    }

                    continue;
                }

                socket.SendTimeout = Math.Max(1, ClampToMilliseconds(left));
                int n = socket.Send(bytes[sent..], SocketFlags.None, out var error);
                if (error is SocketError.TimedOut or SocketError.WouldBlock)
                {
                    return TimedOut();
                }

                if (error != SocketError.Success)
                {
                    throw new SocketException((int)error);
                }

                sent += n;
            }

            QmpLog.Sent(_logger, bytes);
            return WriteOutcome.Written;
        }
        catch (Exception e) when (IsPeerGone(e) || e is SocketException { SocketErrorCode: SocketError.Shutdown })
        {
            // EPIPE or a reset: QEMU closed the monitor (or died) before this command, which the reader learns a
            // moment later; the caller is told the same.
            Break(QmpMessages.EndOfFile, e);
            return WriteOutcome.Written;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Break(QmpMessages.IoError(e.Message), e);
            return WriteOutcome.Written;
        }

        WriteOutcome TimedOut()
        {
            if (callBound)
            {
                return WriteOutcome.CallTimedOut;
            }

            Break(QmpMessages.WriteStalled(_options.WriteTimeout), null);
            return WriteOutcome.Written;
        }
    }

    /// <summary>
    /// Takes a call out of the pending table; <c>false</c> when it already left (its completion is under
    /// way). An <paramref name="abandoned"/> call's id was sent, so its late reply is expected and dropped.
    /// </summary>
    private bool Forget(long id, bool abandoned)
    {
        lock (_gate)
        {
            if (!_pending.Remove(id))
            {
                return false;
            }

            if (abandoned)
            {
                _abandoned.Add(id);
                _abandonedOrder.Enqueue(id);
                while (_abandonedOrder.Count > _options.MaxAbandonedCalls)
                {
                    long oldest = _abandonedOrder.Dequeue();
                    if (_abandoned.Remove(oldest))
                    {
                        _forgottenUpTo = Math.Max(_forgottenUpTo, oldest);
                    }
                }
            }

            return true;
        }
    }

    /// <summary>How many timed-out calls' ids are kept for their late replies.</summary>
    internal int AbandonedCount
    {
        get
        {
            lock (_gate)
            {
                return _abandoned.Count;
            }
        }
    }

    private static int ClampToMilliseconds(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue - 1);

    private PendingCall[] TakeAllPending()
    {
        var calls = _pending.Values.ToArray();
        _pending.Clear();
        _abandoned.Clear();
        _abandonedOrder.Clear();
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
                if (id > 0 && (_abandoned.Remove(id) || id <= _forgottenUpTo))
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
