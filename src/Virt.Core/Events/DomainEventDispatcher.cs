using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Virt.Drivers;

namespace Virt;

/// <summary>
/// Delivers one connection's lifecycle events to its subscribers. The driver's side (<see cref="Post"/>) only
/// enqueues and never blocks or runs caller code, so it may be called under the driver's locks and from any thread.
/// One dedicated background thread, started at the first subscription, calls the handlers: one event at a time, in
/// the order the driver posted them, each handler in subscription order. A handler that throws is logged and skipped;
/// the others and later events still run. A slow handler delays later events of this connection only. Events posted
/// while nobody is subscribed are dropped, as libvirt drops them. <see cref="Dispose"/> drops undelivered events and
/// waits for a handler that is running to return, unless it is called from a handler.
/// </summary>
internal sealed class DomainEventDispatcher : IDisposable
{
    private readonly Func<DomainIdentity, IVirtDomain> _wrap;
    private readonly object _sender;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly BlockingCollection<DomainLifecycleEvent> _queue = new(new ConcurrentQueue<DomainLifecycleEvent>());
    private EventHandler<DomainLifecycleEventArgs>? _handlers;
    private Thread? _thread;
    private bool _disposed;

    public DomainEventDispatcher(object sender, Func<DomainIdentity, IVirtDomain> wrap, ILogger logger)
    {
        _sender = sender;
        _wrap = wrap;
        _logger = logger;
    }

    public void Add(EventHandler<DomainLifecycleEventArgs> handler)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, _sender);
            _handlers += handler;
            if (_thread is null)
            {
                _thread = new Thread(Deliver) { IsBackground = true, Name = "Virt domain events" };
                _thread.Start();
            }
        }
    }

    public void Remove(EventHandler<DomainLifecycleEventArgs> handler)
    {
        lock (_gate)
        {
            _handlers -= handler;
        }
    }

    /// <summary>Queues an event for the subscribers; drops it when there are none or the connection is closed.</summary>
    public void Post(DomainLifecycleEvent lifecycleEvent)
    {
        lock (_gate)
        {
            if (!_disposed && _handlers is not null)
            {
                _queue.Add(lifecycleEvent);
            }
        }
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _handlers = null;
            _queue.CompleteAdding();
            thread = _thread;
        }

        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join();
            _queue.Dispose();
        }
    }

    private void Deliver()
    {
        foreach (var lifecycleEvent in _queue.GetConsumingEnumerable())
        {
            EventHandler<DomainLifecycleEventArgs>? handlers;
            lock (_gate)
            {
                handlers = _disposed ? null : _handlers;
            }

            if (handlers is null)
            {
                continue;
            }

            var args = new DomainLifecycleEventArgs(_wrap(lifecycleEvent.Domain), lifecycleEvent.Type, lifecycleEvent.Detail);
            foreach (var handler in handlers.GetInvocationList())
            {
                try
                {
                    ((EventHandler<DomainLifecycleEventArgs>)handler)(_sender, args);
                }
#pragma warning disable CA1031 // A subscriber's failure must not stop delivery to the others: it is logged.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    VirtLog.EventHandlerFailed(_logger, args.Domain.Name, args.Type, ex);
                }
            }
        }
    }
}
