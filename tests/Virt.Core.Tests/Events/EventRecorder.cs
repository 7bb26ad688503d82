using System.Collections.Concurrent;

namespace Virt.Core.Tests.Events;

/// <summary>A handler that records what it receives and on which thread; <see cref="Next"/> waits for the next one.</summary>
internal sealed class EventRecorder : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly BlockingCollection<(object? Sender, DomainLifecycleEventArgs Args, int ThreadId)> _received = new();

    public void Handler(object? sender, DomainLifecycleEventArgs args) => _received.Add((sender, args, Environment.CurrentManagedThreadId));

    /// <summary>The next event received; fails the test when none comes.</summary>
    public (object? Sender, DomainLifecycleEventArgs Args, int ThreadId) Next()
    {
        if (!_received.TryTake(out var item, Patience))
        {
            Assert.Fail("no event was delivered");
        }

        return item;
    }

    /// <summary>The events received so far and not yet taken.</summary>
    public int Pending => _received.Count;

    public void Dispose() => _received.Dispose();
}
