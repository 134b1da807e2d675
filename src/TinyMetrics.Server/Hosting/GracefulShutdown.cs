using System.Runtime.InteropServices;
using TinyMetrics.Cycle;
using ZLogger;

namespace TinyMetrics.Hosting;

/// <summary>
/// The generic apiserver's graceful termination, as the host's lifetime in place of ConsoleLifetime (which stops
/// the host, and so the listener, at the first signal). On SIGTERM or SIGINT /readyz fails at once while /livez
/// passes and the listener keeps serving old and new requests for --shutdown-delay-duration, so load balancers
/// and the aggregator move away first; then the host stops: Kestrel stops accepting and drains in-flight requests
/// within the host's shutdown timeout (--request-timeout, upstream's ShutdownTimeout). Further signals change
/// nothing: the first one's sequence runs to its end.
/// </summary>
internal sealed class GracefulShutdown : IHostLifetime, IDisposable
{
    private readonly TimeSpan _delay;
    private readonly TimeProvider _time;
    private readonly List<PosixSignalRegistration> _signals = [];
    private Action _stop = static () => { };
    private Action _notReady = static () => { };
    private ILogger _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private ITimer? _delayTimer;
    private int _initiated;

    public GracefulShutdown(TimeSpan delay, TimeProvider time)
    {
        _delay = delay;
        _time = time;
    }

    /// <summary>Whether a signal (or <see cref="Initiate"/>) has started the sequence.</summary>
    public bool Initiated => Volatile.Read(ref _initiated) != 0;

    /// <summary>Names what the sequence acts on, once the host is built: how to stop it and what /readyz reads.</summary>
    public void Bind(IHostApplicationLifetime lifetime, HealthState health, ILogger logger) =>
        Bind(lifetime.StopApplication, health.ShutdownStarted, logger);

    internal void Bind(Action stop, Action notReady, ILogger logger)
    {
        _stop = stop;
        _notReady = notReady;
        _logger = logger;
    }

    /// <summary>
    /// Takes SIGTERM and SIGINT from the runtime's default (exit at once). Only the binary calls this: a test host
    /// built in-process leaves its runner's signals alone.
    /// </summary>
    public void ListenForSignals()
    {
        foreach (var signal in (ReadOnlySpan<PosixSignal>)[PosixSignal.SIGTERM, PosixSignal.SIGINT])
        {
            _signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Initiate();
            }));
        }
    }

    /// <summary>Starts the sequence: /readyz fails now, the host stops after the delay. Idempotent.</summary>
    public void Initiate()
    {
        if (Interlocked.Exchange(ref _initiated, 1) != 0)
            return;
        _notReady();
        _logger.ShutdownEvent("ShutdownInitiated");
        if (_delay <= TimeSpan.Zero)
        {
            _stop();
            return;
        }
        _delayTimer = _time.CreateTimer(static state => ((GracefulShutdown)state!).AfterDelay(), this, _delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The last line before exit: the host has stopped and in-flight requests have drained (or the bound ran out).</summary>
    public void Exiting() => _logger.Exiting();

    private void AfterDelay()
    {
        _logger.ShutdownEvent("AfterShutdownDelayDuration");
        _stop();
    }

    // IHostLifetime: the host starts at once; stopping needs nothing of the lifetime.
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _signals)
            registration.Dispose();
        _signals.Clear();
        _delayTimer?.Dispose();
    }
}

internal static partial class GracefulShutdownLog
{
    // Upstream's lifecycle signal names: ShutdownInitiated, then AfterShutdownDelayDuration when the delay ends.
    [ZLoggerMessage(5006, LogLevel.Information, "[graceful-termination] shutdown event {name}")]
    public static partial void ShutdownEvent(this ILogger logger, string name);

    [ZLoggerMessage(5007, LogLevel.Information, "[graceful-termination] apiserver is exiting")]
    public static partial void Exiting(this ILogger logger);
}
