using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TinyMetrics.Security.Tests;

/// <summary>Keeps every formatted log line with its level and exception text, to check what is (and is not) written.</summary>
public sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{eventId.Id} {logLevel} {formatter(state, exception)} {exception}");
}
