using Microsoft.Extensions.Logging;

namespace TinyMetrics.Tls.Tests;

/// <summary>Keeps every formatted message (with its exception text) so tests can inspect what would be logged.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
                return [.. _messages];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_messages)
            _messages.Add($"{logLevel} {formatter(state, exception)} {exception}");
    }
}
