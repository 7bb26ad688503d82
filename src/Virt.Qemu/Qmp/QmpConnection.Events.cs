namespace Virt.Qemu.Qmp;

internal sealed partial class QmpConnection
{
    private readonly object _subscriptionsGate = new();
    private QmpSubscription[] _subscriptions = [];

    /// <summary>
    /// Calls <paramref name="handler"/> on the reader thread for every event that passes
    /// <paramref name="filter"/>, in arrival order, outside any lock. Handlers must be quick; what
    /// they throw is logged and dropped. <paramref name="onBroken"/> runs once when the connection
    /// breaks or closes (at once if it already has).
    /// </summary>
    /// <returns>Disposing it ends the subscription.</returns>
    public IDisposable Subscribe(QmpEventFilter filter, Action<QmpEvent> handler, Action<QmpConnectionException>? onBroken = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new QmpSubscription(this, filter, handler, onBroken);
        lock (_subscriptionsGate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        string? reason;
        Exception? cause;
        lock (_gate)
        {
            reason = _state switch
            {
                QmpState.Broken => _brokenReason,
                QmpState.Closed => QmpMessages.ClosedByCaller,
                _ => null,
            };
            cause = _brokenCause;
        }

        if (reason is not null)
        {
            subscription.NotifyBroken(reason, cause);
        }

        return subscription;
    }

    /// <summary>Subscribes a queue that a waiting thread drains (see <see cref="QmpEventQueue"/>).</summary>
    public QmpEventQueue SubscribeQueue(QmpEventFilter filter)
    {
        var queue = new QmpEventQueue();
        queue.Attach(Subscribe(filter, queue.Add, queue.Fail));
        return queue;
    }

    /// <summary>Whether the current thread is one that must not send commands (the reader, or the one running handlers).</summary>
    private bool IsEventThread => Thread.CurrentThread == _reader;

    internal void Unsubscribe(QmpSubscription subscription)
    {
        lock (_subscriptionsGate)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => s != subscription);
        }
    }

    private void Dispatch(QmpEvent e)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (!subscription.Filter.Matches(e))
            {
                continue;
            }

            try
            {
                subscription.Handler(e);
            }
#pragma warning disable CA1031 // A subscriber's bug must not kill the reader thread.
            catch (Exception failure)
#pragma warning restore CA1031
            {
                QmpLog.HandlerFailed(_logger, e.Name, failure);
            }
        }
    }

    private void NotifySubscribersBroken(string reason, Exception? cause)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            subscription.NotifyBroken(reason, cause);
        }
    }
}

/// <summary>One subscriber: its filter, its handler, and what to call when the connection breaks.</summary>
internal sealed class QmpSubscription(QmpConnection owner, QmpEventFilter filter, Action<QmpEvent> handler, Action<QmpConnectionException>? onBroken) : IDisposable
{
    private int _brokenNotified;

    public QmpEventFilter Filter { get; } = filter;

    public Action<QmpEvent> Handler { get; } = handler;

    public void NotifyBroken(string reason, Exception? cause)
    {
        if (onBroken is not null && Interlocked.Exchange(ref _brokenNotified, 1) == 0)
        {
            onBroken(new QmpConnectionException(reason, cause));
        }
    }

    public void Dispose() => owner.Unsubscribe(this);
}
