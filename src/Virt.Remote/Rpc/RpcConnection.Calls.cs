using Virt.Remote.Xdr;

namespace Virt.Remote.Rpc;

internal sealed partial class RpcConnection
{
    /// <summary>
    /// Sends a call and waits for its reply. The reply's payload is returned for the caller to decode; a reply
    /// with status ERROR is thrown as the daemon's error (<see cref="RemoteError"/>).
    /// </summary>
    /// <exception cref="VirtException">The daemon's error; <see cref="VirtErrorCode.OperationTimeout"/> when no reply
    /// came in time (the connection stays usable, a late reply is dropped); <see cref="VirtErrorCode.OperationAborted"/>
    /// when cancelled; the break reason when the connection is or becomes broken.</exception>
    public RpcInbound Call(uint program, uint version, int procedure, Action<XdrWriter>? args, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var wait = timeout ?? _options.CallTimeout;
        PendingCall call;
        lock (_lock)
        {
            if (_broken is not null)
            {
                throw _broken;
            }

            call = new PendingCall(++_serial, procedure);
            _pending.Add(call.Serial, call);
        }

        var deadline = DateTime.UtcNow + wait;
        RpcInbound reply;
        try
        {
            Write(new RpcHeader(program, version, procedure, RpcMessageType.Call, call.Serial, RpcStatus.Ok), args, wait, cancellationToken);
            var remaining = deadline - DateTime.UtcNow;
            bool replied = CallersRead
                ? ReadUntilReplied(call, deadline, cancellationToken)
                : call.Wait(remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining, cancellationToken);
            if (!replied)
            {
                throw new VirtException(VirtErrorCode.OperationTimeout,
                    $"no reply to remote procedure {procedure} within {wait.TotalSeconds:0.###} s");
            }

            reply = call.Reply;
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            Forget(call);
            throw new VirtException(VirtErrorCode.OperationAborted, $"remote procedure {procedure} was cancelled", ex);
        }
        catch
        {
            Forget(call);
            throw;
        }

        if (reply.Header.Status == RpcStatus.Error)
        {
            var reader = reply.PayloadReader();
            throw RemoteError.Read(ref reader);
        }

        return reply;
    }

    /// <summary>Sends a message that expects no reply (a keepalive PONG or PING).</summary>
    public void Send(uint program, uint version, int procedure, RpcMessageType type, Action<XdrWriter>? payload = null)
    {
        ThrowIfBroken();
        Write(new RpcHeader(program, version, procedure, type, 0, RpcStatus.Ok), payload, _options.CallTimeout, CancellationToken.None);
    }

    private void ThrowIfBroken()
    {
        lock (_lock)
        {
            if (_broken is not null)
            {
                throw _broken;
            }
        }
    }

    private void Forget(PendingCall call)
    {
        lock (_lock)
        {
            _pending.Remove(call.Serial);
        }
    }

    /// <summary>The largest outgoing buffer kept between messages; a larger one (a big domain XML) is let go after use.</summary>
    private const int KeptOutboxSize = 64 * 1024;

    /// <summary>The message being written, encoded under the write gate into one buffer reused by every message.</summary>
    private XdrWriter _outbox = new(1024);

    /// <summary>
    /// Encodes and writes one whole message with one send. A write that cannot finish in time (a peer that stopped
    /// reading) or is cancelled part way breaks the connection, as the stream would otherwise hold half a message.
    /// </summary>
    private void Write(RpcHeader header, Action<XdrWriter>? payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_writeGate.Wait(timeout, cancellationToken))
        {
            throw new VirtException(VirtErrorCode.OperationTimeout,
                $"could not send to the daemon within {timeout.TotalSeconds:0.###} s: an earlier message is still being written");
        }

        try
        {
            ThrowIfBroken();
            RpcFrame.EncodeInto(_outbox, header, payload);
            try
            {
                WriteFrame(_outbox.WrittenMemory, timeout, cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                var reason = cancellationToken.IsCancellationRequested
                    ? new VirtException(VirtErrorCode.OperationAborted, "sending to the daemon was cancelled part way; the connection is closed", ex)
                    : new VirtException(VirtErrorCode.OperationTimeout,
                        $"the daemon did not read a message within {timeout.TotalSeconds:0.###} s; the connection is closed", ex);
                Break(reason);
                throw reason;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                var reason = BrokenReason ?? new VirtException(VirtErrorCode.SystemError, $"Cannot write data: {ex.Message}", ex);
                Break(reason);
                throw reason;
            }
        }
        finally
        {
            if (_outbox.Capacity > KeptOutboxSize)
            {
                _outbox = new XdrWriter(1024);
            }

            _writeGate.Release();
        }
    }

    /// <summary>
    /// The common case, a socket written with the connection's own timeout and nothing to cancel, is a plain
    /// blocking send with the socket's send timeout; otherwise an asynchronous write cancelled at the deadline.
    /// </summary>
    private void WriteFrame(ReadOnlyMemory<byte> frame, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_stream is System.Net.Sockets.NetworkStream socket && !cancellationToken.CanBeCanceled && timeout == _options.CallTimeout)
        {
            try
            {
                socket.Write(frame.Span);
                return;
            }
            catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.TimedOut or System.Net.Sockets.SocketError.WouldBlock })
            {
                throw new OperationCanceledException("the send timed out", ex);
            }
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        _stream.WriteAsync(frame, cts.Token).AsTask().GetAwaiter().GetResult();
        _stream.Flush();
    }
}
