namespace Virt.Remote.Rpc;

internal sealed partial class RpcConnection
{
    private long _lastReceivedTicks = Environment.TickCount64;
    private Timer? _keepAlive;
    private int _unanswered;

    /// <summary>
    /// Starts libvirt's client keepalive: every <paramref name="interval"/> without anything received, a PING is sent;
    /// after <paramref name="count"/> such pings with still nothing received, the peer counts as dead and the
    /// connection breaks with libvirt's "connection closed due to keepalive timeout". Anything received resets the
    /// count, as in virkeepalive.c.
    /// </summary>
    public void StartKeepAlive(TimeSpan interval, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            if (_broken is not null || _keepAlive is not null)
            {
                return;
            }

            _keepAlive = new Timer(_ => KeepAliveTick(interval, count), null, interval, interval);
        }

        Closed += _ => StopKeepAlive();
    }

    private void StopKeepAlive()
    {
        Timer? timer;
        lock (_lock)
        {
            timer = _keepAlive;
        }

        timer?.Dispose();
    }

    private void KeepAliveTick(TimeSpan interval, int count)
    {
        long idle = Environment.TickCount64 - Interlocked.Read(ref _lastReceivedTicks);
        if (idle < (long)interval.TotalMilliseconds)
        {
            Volatile.Write(ref _unanswered, 0);
            return;
        }

        if (Volatile.Read(ref _unanswered) >= count)
        {
            Break(new VirtException(VirtErrorCode.InternalError, "connection closed due to keepalive timeout"), ConnectionCloseReason.KeepAlive);
            return;
        }

        Interlocked.Increment(ref _unanswered);
        try
        {
            Send(RpcPrograms.KeepAlive, RpcPrograms.KeepAliveVersion, RpcPrograms.KeepAlivePing, RpcMessageType.Message);
        }
        catch (VirtException)
        {
            // Broken already: Break has the reason.
        }
    }
}
