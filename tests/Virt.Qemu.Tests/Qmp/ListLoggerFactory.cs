using Microsoft.Extensions.Logging;

namespace Virt.Qemu.Tests.Qmp;

/// <summary>Keeps every log entry; <see cref="WaitFor"/> blocks until one matching entry was logged.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    private readonly object _gate = new();

    public System.Collections.Concurrent.ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    /// <summary>Waits until an entry's message satisfies <paramref name="match"/>; <c>false</c> after <paramref name="timeout"/>.</summary>
    public bool WaitFor(Func<string, bool> match, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (!Entries.Any(e => match(e.Message)))
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return false;
                }

                Monitor.Wait(_gate, (int)left);
            }

            return true;
        }
    }

    public void Dispose()
    {
    }

    private void Add(string category, LogLevel level, string message)
    {
        lock (_gate)
        {
            Entries.Enqueue((category, level, message));
            Monitor.PulseAll(_gate);
        }
    }

    private sealed class ListLogger(ListLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(category, logLevel, formatter(state, exception));
    }
}
