using Microsoft.Extensions.Logging;

namespace Virt.Testing.Tests;

/// <summary>A logger factory that keeps every event, with its category, for assertions.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    private readonly Lock _lock = new();
    private readonly List<(string Category, LogLevel Level, int EventId, string Message)> _entries = [];

    public IReadOnlyList<(string Category, LogLevel Level, int EventId, string Message)> Entries
    {
        get
        {
            lock (_lock)
            {
                return _entries.ToArray();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(ListLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lock)
            {
                owner._entries.Add((category, logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }
}
