namespace Virt.Qemu.Qmp;

internal sealed partial class QmpConnection
{
    private readonly object _subscriptionsGate = new();
    private QmpSubscription[] _subscriptions = [];
    private QmpEventDispatcher? _dispatcherField;

    private QmpEventDispatcher Dispatcher =>
        LazyInitializer.EnsureInitialized(ref _dispatcherField, () => new QmpEventDispatcher(_logger, _options.MaxQueuedEventBytes, Path.GetFileName(_socketPath)));

    /// <summary>
    /// Calls <paramref name="handler"/> for every event that passes <paramref name="filter"/>, in
    /// arrival order, on the connection's event thread (never the reader), outside any lock.
    /// Handlers should be quick (a slow one delays later events, not replies) and must not send
    /// commands; what they throw is logged and dropped. <paramref name="onBroken"/> runs once, on the
    /// event thread after every earlier event, when the connection breaks or closes (at once, on the
    /// calling thread, if it already has).
    /// </summary>
    /// <returns>Disposing it ends the subscription.</returns>
    public IDisposable Subscribe(QmpEventFilter filter, Action<QmpEvent> handler, Action<QmpConnectionException>? onBroken = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new QmpSubscription(this, filter, handler, null, onBroken));
    }

    /// <summary>
    /// Subscribes a queue that a waiting thread drains (see <see cref="QmpEventQueue"/>). The reader
    /// fills it directly (no caller code runs there), so a slow handler elsewhere does not delay it,
    /// and it learns of a broken connection at once.
    /// </summary>
    public QmpEventQueue SubscribeQueue(QmpEventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var queue = new QmpEventQueue(_options.MaxQueuedEventBytes);
        var subscription = new QmpSubscription(this, filter, null, queue, queue.Fail);
        queue.Attach(subscription);
        Add(subscription);
        return queue;
    }

    /// <summary>Waits until every event received so far went to its handlers; <c>false</c> when <paramref name="timeout"/> passed first.</summary>
    internal bool WaitForHandlers(TimeSpan timeout) => Dispatcher.WaitIdle(timeout);

    /// <summary>Whether the current thread must not send commands: the reader, or the thread running handlers.</summary>
    private bool IsEventThread => Thread.CurrentThread == _reader || (_dispatcherField?.IsCurrentThread ?? false);

    private QmpSubscription Add(QmpSubscription subscription)
    {
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

    internal void Unsubscribe(QmpSubscription subscription)
    {
        lock (_subscriptionsGate)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => s != subscription);
        }
    }

    /// <summary>
    /// On the reader: hands the event to the event thread for handlers, then fills matching queues
    /// (in that order, so whoever took it from a queue can <see cref="WaitForHandlers"/> for it).
    /// </summary>
    /// <exception cref="QmpProtocolException">Handlers fell so far behind that the backlog passed its budget.</exception>
    private void Dispatch(QmpEvent e)
    {
        var subscriptions = Volatile.Read(ref _subscriptions);
        bool forHandlers = Array.Exists(subscriptions, s => s.Handler is not null && s.Filter.Matches(e));
        if (forHandlers && !Dispatcher.TryPost(e, subscriptions))
        {
            throw new QmpProtocolException(QmpMessages.EventBacklog(_options.MaxQueuedEventBytes));
        }

        foreach (var subscription in subscriptions)
        {
            if (subscription.Queue is { } queue && subscription.Filter.Matches(e))
            {
                queue.Add(e);
            }
        }
    }

    private void NotifySubscribersBroken(string reason, Exception? cause)
    {
        var subscriptions = Volatile.Read(ref _subscriptions);
        foreach (var subscription in subscriptions)
        {
            if (subscription.Queue is not null)
            {
                subscription.NotifyBroken(reason, cause);
            }
        }

        Dispatcher.PostBroken(Array.FindAll(subscriptions, s => s.Queue is null), reason, cause);
    }
}

/// <summary>One subscriber: its filter, its handler or queue, and what to call when the connection breaks.</summary>
internal sealed class QmpSubscription(QmpConnection owner, QmpEventFilter filter, Action<QmpEvent>? handler, QmpEventQueue? queue, Action<QmpConnectionException>? onBroken) : IDisposable
{
    private int _brokenNotified;
    private volatile bool _disposed;

    public QmpEventFilter Filter { get; } = filter;

    /// <summary>Caller code, run on the event thread; <c>null</c> for a queue.</summary>
    public Action<QmpEvent>? Handler { get; } = handler;

    /// <summary>The queue the reader fills; <c>null</c> for a handler.</summary>
    public QmpEventQueue? Queue { get; } = queue;

    public bool IsDisposed => _disposed;

    public void NotifyBroken(string reason, Exception? cause)
    {
        if (onBroken is not null && !_disposed && Interlocked.Exchange(ref _brokenNotified, 1) == 0)
        {
            onBroken(new QmpConnectionException(reason, cause));
        }
    }

    public void Dispose()
    {
        _disposed = true;
        owner.Unsubscribe(this);
    }
}
