using System.Collections.Concurrent;

namespace Virt.Testing.Tests.Events;

/// <summary>Subscribes to a connection and keeps its lifecycle events as virsh-like text ("m: Started Booted").</summary>
internal sealed class EventLog : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly BlockingCollection<string> _received = new();

    public EventLog(IVirtConnection connection) => connection.DomainLifecycle += (_, e) => _received.Add(e.ToString());

    /// <summary>The next <paramref name="count"/> events; fails when they do not come.</summary>
    public IReadOnlyList<string> Take(int count)
    {
        var taken = new List<string>();
        for (int i = 0; i < count; i++)
        {
            if (!_received.TryTake(out var item, Patience))
            {
                Assert.Fail($"only {taken.Count} of {count} events came: {string.Join(", ", taken)}");
            }

            taken.Add(item!);
        }

        return taken;
    }

    /// <summary>Every event up to the marker (the definition of a domain named <c>marker</c>, which the caller made
    /// after the operations under test), so that an unexpected extra event shows.</summary>
    public IReadOnlyList<string> TakeUntilMarker()
    {
        var taken = new List<string>();
        while (true)
        {
            if (!_received.TryTake(out var item, Patience))
            {
                Assert.Fail($"the marker never came; events so far: {string.Join(", ", taken)}");
            }

            if (item == "marker: Defined Added")
            {
                return taken;
            }

            taken.Add(item!);
        }
    }

    public void Dispose() => _received.Dispose();
}
