using System.Threading.Channels;
using Virt.Remote.Xdr;

namespace Virt.Remote.Rpc;

internal sealed partial class RpcConnection
{
    private readonly Channel<RpcInbound> _messages = Channel.CreateUnbounded<RpcInbound>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _dispatcher;

    private void ReadLoop()
    {
        _dispatcher = Task.Run(DispatchMessagesAsync);
        if (CallersRead)
        {
            try
            {
                IdleReadLoop();
            }
            finally
            {
                _messages.Writer.TryComplete();
            }

            return;
        }

        byte[] lengthWord = new byte[RpcFrame.LengthSize];
        try
        {
            while (IsOpen)
            {
                if (!ReadExactly(lengthWord))
                {
                    Break(new VirtException(VirtErrorCode.SystemError, "End of file while reading data: Input/output error"), ConnectionCloseReason.EndOfFile);
                    break;
                }

                int bodyLength = RpcFrame.BodyLength(lengthWord);
                byte[] body = new byte[bodyLength];
                if (!ReadExactly(body))
                {
                    Break(new VirtException(VirtErrorCode.SystemError, "End of file while reading data: Input/output error"), ConnectionCloseReason.EndOfFile);
                    break;
                }

                var reader = new XdrReader(body);
                var message = new RpcInbound(RpcHeader.Read(ref reader), body);
                Interlocked.Exchange(ref _lastReceivedTicks, Environment.TickCount64);
                Route(message);
            }
        }
        catch (XdrException ex)
        {
            Break(new VirtException(VirtErrorCode.Rpc, ex.Message, ex));
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Break(new VirtException(VirtErrorCode.SystemError, $"Cannot recv data: {ex.Message}", ex));
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    private bool ReadExactly(byte[] buffer)
    {
        int read = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return read == buffer.Length;
    }

    private void Route(RpcInbound message)
    {
        var header = message.Header;
        switch (header.Type)
        {
            case RpcMessageType.Reply or RpcMessageType.ReplyWithFds:
                CompleteCall(message);
                break;
            case RpcMessageType.Message when header.Program == RpcPrograms.KeepAlive:
                OnKeepAlive(header);
                break;
            case RpcMessageType.Message:
                _messages.Writer.TryWrite(message);
                break;
            default:
                RemoteLog.UnexpectedMessage(_logger, header.Program, header.Procedure, (int)header.Type, header.Serial);
                break;
        }
    }

    private void CompleteCall(RpcInbound reply)
    {
        PendingCall? call;
        lock (_lock)
        {
            if (_pending.Remove(reply.Header.Serial, out call) && call.Procedure != reply.Header.Procedure)
            {
                _pending.Add(call.Serial, call);
                call = null;
            }
        }

        if (call is null)
        {
            // A reply to a call that timed out or was cancelled, or to no call at all: dropped, as libvirt's client does.
            RemoteLog.UnknownSerial(_logger, reply.Header.Serial, reply.Header.Procedure);
            return;
        }

        call.Complete(reply);
    }

    private void OnKeepAlive(RpcHeader header)
    {
        if (header.Procedure == RpcPrograms.KeepAlivePing)
        {
            // Answered off the reader thread: a write may block while the daemon is busy writing to us.
            _ = Task.Run(() =>
            {
                try
                {
                    Send(RpcPrograms.KeepAlive, RpcPrograms.KeepAliveVersion, RpcPrograms.KeepAlivePong, RpcMessageType.Message);
                }
                catch (VirtException)
                {
                }
            });
        }
    }

    private async Task DispatchMessagesAsync()
    {
        await foreach (var message in _messages.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                MessageReceived?.Invoke(message);
            }
#pragma warning disable CA1031 // A subscriber's failure must not stop event delivery.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                RemoteLog.HandlerFailed(_logger, ex);
            }
        }
    }
}
