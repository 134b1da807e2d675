using Microsoft.Extensions.Logging;

namespace TinyMetrics.Storage.Tests;

/// <summary>Keeps every log event's id and formatted message, so a test can tell which rule spoke and how often.</summary>
internal sealed class RecordingLogger : ILogger
{
    public List<(int Id, string Message)> Events { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Add((eventId.Id, formatter(state, exception)));

    public int Count(int id) => Events.Count(e => e.Id == id);
}
