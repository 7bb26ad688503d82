using Microsoft.Extensions.Logging;

namespace Virt.Core.Tests.Events;

/// <summary>Keeps every log event with its id, level and exception, for assertions.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, int EventId, string Message, Exception? Exception)> _entries = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Message, Exception? Exception)> Entries
    {
        get
        {
            lock (_lock)
            {
                return _entries.ToArray();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(ListLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lock)
            {
                owner._entries.Add((logLevel, eventId.Id, formatter(state, exception), exception));
            }
        }
    }
}
