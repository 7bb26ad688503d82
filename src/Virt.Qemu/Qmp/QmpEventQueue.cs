namespace Virt.Qemu.Qmp;

/// <summary>
/// Events for one waiting thread, queued by the reader thread. <see cref="Take"/> blocks with a
/// timeout, wakes early on <see cref="Wake"/>, and throws once the connection broke and the queue
/// is empty. Holds at most a byte budget of events: a queue nobody drains fails and ends its
/// subscription instead of growing.
/// </summary>
internal sealed class QmpEventQueue : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<QmpEvent> _events = new();
    private readonly long _maxBytes;
    private long _bytes;
    private QmpConnectionException? _broken;
    private VirtException? _overflow;
    private bool _woken;
    private IDisposable? _subscription;

    public QmpEventQueue(long maxBytes = 64L * 1024 * 1024)
    {
        _maxBytes = maxBytes;
    }

    internal void Attach(IDisposable subscription) => _subscription = subscription;

    internal void Add(QmpEvent e)
    {
        bool overflowed = false;
        lock (_gate)
        {
            if (_overflow is not null)
            {
                return;
            }

            if (_bytes + e.SizeBytes > _maxBytes)
            {
                _events.Clear();
                _bytes = 0;
                _overflow = new VirtException(VirtErrorCode.OperationFailed, QmpMessages.QueueOverflow(_maxBytes));
                overflowed = true;
            }
            else
            {
                _events.Enqueue(e);
                _bytes += e.SizeBytes;
            }

            Monitor.PulseAll(_gate);
        }

        if (overflowed)
        {
            _subscription?.Dispose();
        }
    }

    internal void Fail(QmpConnectionException broken)
    {
        lock (_gate)
        {
            _broken = broken;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Makes a blocked <see cref="Take"/> return <c>null</c> now (for example on cancellation).</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _woken = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The next event, or <c>null</c> when <paramref name="timeout"/> passed or <see cref="Wake"/> was called.</summary>
    /// <exception cref="QmpConnectionException">The connection broke and no event is left.</exception>
    /// <exception cref="VirtException"><see cref="VirtErrorCode.OperationFailed"/>: events piled up past the
    /// budget (<see cref="QmpClientOptions.MaxQueuedEventBytes"/>) and the queue was dropped.</exception>
    public QmpEvent? Take(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)Math.Max(0, timeout.TotalMilliseconds);
        lock (_gate)
        {
            while (true)
            {
                if (_overflow is not null)
                {
                    throw new VirtException(_overflow.Code, _overflow.Detail);
                }

                if (_events.TryDequeue(out var e))
                {
                    _bytes -= e.SizeBytes;
                    return e;
                }

                if (_broken is not null)
                {
                    throw new QmpConnectionException(_broken.Reason, _broken.InnerException);
                }

                if (_woken)
                {
                    _woken = false;
                    return null;
                }

                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return null;
                }

                Monitor.Wait(_gate, (int)Math.Min(left, int.MaxValue));
            }
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
