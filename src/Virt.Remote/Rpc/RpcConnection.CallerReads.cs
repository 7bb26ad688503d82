using System.Net.Sockets;
using Virt.Remote.Xdr;

namespace Virt.Remote.Rpc;

/// <summary>
/// On a socket (unix, tcp), the thread that waits for a reply reads it itself, as libvirt's client passes "the buck"
/// to the waiting caller: one fewer thread wake-up per call than a reader thread handing each reply over. There is
/// still exactly one reader at a time (the read gate), which routes every frame it reads (other callers' replies,
/// events, keepalive) as the reader thread does, so the daemon is always read while anyone waits. The reader thread
/// reads only while no caller has been waiting for a little while (<see cref="QuietBeforeIdleRead"/>): events and
/// pings that arrive between calls are read within that time. TLS and process streams keep the reader thread alone.
/// </summary>
internal sealed partial class RpcConnection
{
    /// <summary>How long after the last caller the reader thread starts reading again.</summary>
    private static readonly TimeSpan QuietBeforeIdleRead = TimeSpan.FromMilliseconds(20);

    /// <summary>The longest a gate holder waits in one poll, so that it notices its deadline and cancellation.</summary>
    private const int PollSliceMicroseconds = 50_000;

    private readonly SemaphoreSlim _readGate = new(1, 1);
    private readonly ManualResetEventSlim _stopped = new();
    private Socket? _socket;
    private byte[] _inbox = new byte[64 * 1024];
    private int _inStart;
    private int _inEnd;
    private int _waitingCallers;
    private long _lastCallerTicks;

    /// <summary>Whether callers read their own replies (a plain socket under the stream).</summary>
    private bool CallersRead => _socket is not null;

    /// <summary>Waits for <paramref name="call"/>'s reply, reading the socket while nobody else does.</summary>
    /// <returns>False when the deadline passed first.</returns>
    private bool ReadUntilReplied(PendingCall call, DateTime deadline, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waitingCallers);
        try
        {
            while (!call.IsDone)
            {
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    return false;
                }

                // Another holder routes this call's reply, or leaves the gate once it has its own.
                var slice = remaining < TimeSpan.FromMilliseconds(50) ? remaining : TimeSpan.FromMilliseconds(50);
                if (!_readGate.Wait(slice, cancellationToken))
                {
                    continue;
                }

                try
                {
                    if (!call.IsDone)
                    {
                        PumpOnce(Math.Min(PollSliceMicroseconds, (int)Math.Max(0, remaining.TotalMicroseconds)));
                    }
                }
                finally
                {
                    _readGate.Release();
                }
            }

            return true;
        }
        finally
        {
            Interlocked.Exchange(ref _lastCallerTicks, Environment.TickCount64);
            Interlocked.Decrement(ref _waitingCallers);
        }
    }

    /// <summary>The reader thread on a socket: reads what arrives while no caller waits (events, pings, late replies).</summary>
    private void IdleReadLoop()
    {
        var socket = _socket!;
        while (IsOpen)
        {
            long quiet = Environment.TickCount64 - Interlocked.Read(ref _lastCallerTicks);
            if (Volatile.Read(ref _waitingCallers) > 0 || quiet < (long)QuietBeforeIdleRead.TotalMilliseconds)
            {
                _stopped.Wait(QuietBeforeIdleRead);
                continue;
            }

            try
            {
                if (!socket.Poll(100_000, SelectMode.SelectRead) || Volatile.Read(ref _waitingCallers) > 0)
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                Break(new VirtException(VirtErrorCode.SystemError, $"Cannot recv data: {ex.Message}", ex));
                break;
            }

            if (_readGate.Wait(0))
            {
                try
                {
                    PumpOnce(0);
                }
                finally
                {
                    _readGate.Release();
                }
            }
        }
    }

    /// <summary>
    /// One read by the gate holder: waits up to <paramref name="pollMicroseconds"/> for data, receives what is there and
    /// routes every whole frame it completes. A failure breaks the connection, as the reader thread's does.
    /// </summary>
    private void PumpOnce(int pollMicroseconds)
    {
        try
        {
            var socket = _socket!;
            if (!socket.Poll(pollMicroseconds, SelectMode.SelectRead))
            {
                return;
            }

            MakeRoom(RpcFrame.LengthSize);
            int n = socket.Receive(_inbox, _inEnd, _inbox.Length - _inEnd, SocketFlags.None);
            if (n == 0)
            {
                Break(new VirtException(VirtErrorCode.SystemError, "End of file while reading data: Input/output error"), ConnectionCloseReason.EndOfFile);
                return;
            }

            _inEnd += n;
            Interlocked.Exchange(ref _lastReceivedTicks, Environment.TickCount64);
            RouteWholeFrames();
        }
        catch (XdrException ex)
        {
            Break(new VirtException(VirtErrorCode.Rpc, ex.Message, ex));
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            Break(new VirtException(VirtErrorCode.SystemError, $"Cannot recv data: {ex.Message}", ex));
        }
    }

    private void RouteWholeFrames()
    {
        while (_inEnd - _inStart >= RpcFrame.LengthSize)
        {
            int bodyLength = RpcFrame.BodyLength(_inbox.AsSpan(_inStart, RpcFrame.LengthSize));
            if (_inEnd - _inStart < RpcFrame.LengthSize + bodyLength)
            {
                MakeRoom(RpcFrame.LengthSize + bodyLength);
                return;
            }

            byte[] body = _inbox.AsSpan(_inStart + RpcFrame.LengthSize, bodyLength).ToArray();
            _inStart += RpcFrame.LengthSize + bodyLength;
            var reader = new XdrReader(body);
            Route(new RpcInbound(RpcHeader.Read(ref reader), body));
        }

        if (_inStart == _inEnd)
        {
            _inStart = _inEnd = 0;
        }
    }

    /// <summary>Makes the inbox hold <paramref name="frame"/> bytes from the current frame's start (checked against the limit before).</summary>
    private void MakeRoom(int frame)
    {
        if (_inbox.Length - _inStart >= frame && _inEnd < _inbox.Length)
        {
            return;
        }

        int held = _inEnd - _inStart;
        byte[] target = _inbox.Length >= frame && _inbox.Length > held ? _inbox : new byte[Math.Max(frame, _inbox.Length * 2)];
        Buffer.BlockCopy(_inbox, _inStart, target, 0, held);
        _inbox = target;
        _inStart = 0;
        _inEnd = held;
    }
}
