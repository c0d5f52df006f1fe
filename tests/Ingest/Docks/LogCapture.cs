using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Enforcement.Media.Tests.Ingest.Docks;

/// <summary>Keeps every log event with its named properties, so tests can check what an operator would read.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LoggedEvent> _events = new();

    public IReadOnlyList<LoggedEvent> Events => [.. _events];

    public ILogger<T> For<T>() => new Logger<T>(new Factory(this));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _events);

    public void Dispose()
    {
    }

    public sealed record LoggedEvent(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);

    private sealed class CapturingLogger(string category, ConcurrentQueue<LoggedEvent> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : [];
            events.Enqueue(new LoggedEvent(category, logLevel, formatter(state, exception), properties, exception));
        }
    }

    private sealed class Factory(LogCapture capture) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public ILogger CreateLogger(string categoryName) => capture.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
