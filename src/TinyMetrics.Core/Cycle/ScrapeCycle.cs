using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyMetrics.Discovery;
using TinyMetrics.Rendering;
using TinyMetrics.Scraping;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;
using ZLogger;

namespace TinyMetrics.Cycle;

/// <summary>
/// The spine. Every --metric-resolution: take the cluster as discovery sees it, scrape and parse every
/// selected kubelet, store the points, render the lists once, and publish the new snapshot with one swap.
/// </summary>
public sealed class ScrapeCycle
{
    private readonly IClusterViewSource _cluster;
    private readonly INodeScraper _scraper;
    private readonly MetricsStore _store;
    private readonly SnapshotCell _cell;
    private readonly HealthState _health;
    private readonly LabelSelector _nodeSelector;
    private readonly TimeSpan _resolution;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<CycleReport>? _observer;

    /// <param name="observer">Told of every finished cycle (the /metrics families); runs on the cycle's thread.</param>
    public ScrapeCycle(IClusterViewSource cluster, INodeScraper scraper, MetricsStore store, SnapshotCell cell, HealthState health,
        LabelSelector nodeSelector, TimeSpan resolution, TimeProvider time, ILogger? logger = null, Action<CycleReport>? observer = null)
    {
        _cluster = cluster;
        _scraper = scraper;
        _store = store;
        _cell = cell;
        _health = health;
        _nodeSelector = nodeSelector;
        _resolution = resolution;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _observer = observer;
    }

    /// <summary>Runs cycles until <paramref name="stoppingToken"/> fires; the first one as soon as discovery has synced.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            // As upstream: no scrape before the node and pod lists are known.
            await _cluster.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(_resolution, _time);
            do
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One cycle: discover → scrape → store → render → publish. A broken cycle keeps the last snapshot.</summary>
    public async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        _health.TickStarted();
        var started = _time.GetTimestamp();
        try
        {
            // A cycle never outlives its resolution, so ticks cannot pile up behind a slow kubelet.
            using var deadline = new CancellationTokenSource(_resolution, _time);
            using var cycle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);

            var cluster = _cluster.Current;
            var nodes = NodeSelection.Select(cluster, _nodeSelector.IsEmpty ? null : _nodeSelector.Matches);
            var results = await _scraper.ScrapeAsync(nodes, cycle.Token).ConfigureAwait(false);
            var snapshot = _store.Store(results, cluster);
            _cell.Publish(RenderedSnapshot.Render(snapshot));
            // The previous snapshot just became gen2 garbage, where the GC would let it pile up for
            // many cycles; one background gen2 per cycle keeps RSS near the live size (measured at
            // 500 nodes: -14 MiB RSS for +0.01 millicore per node).
            GC.Collect(2, GCCollectionMode.Forced, blocking: false);

            var elapsed = _time.GetElapsedTime(started);
            _observer?.Invoke(new CycleReport(results, elapsed.TotalSeconds, _time.GetUtcNow().ToUnixTimeSeconds(),
                snapshot.NodePoints, snapshot.ContainerPoints));
            LogFinished(results, snapshot.Nodes.Length, snapshot.Pods.Length, elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A broken cycle is logged and the next one starts on time; the last snapshot keeps being served.
            _logger.CycleFailed(_time.GetElapsedTime(started).TotalMilliseconds, ex);
        }
    }

    // One summary line per cycle: at V(0) when nodes failed, with their count by reason, else at V(1).
    private void LogFinished(NodeScrapeResult[] results, int servableNodes, int servablePods, double durationMs)
    {
        int failed = 0, refused = 0, timeout = 0, tls = 0, status = 0, unparsable = 0, tooLarge = 0, other = 0;
        foreach (var result in results)
        {
            if (result.Succeeded)
                continue;
            failed++;
            switch (result.Reason)
            {
                case ScrapeFailureReason.Refused: refused++; break;
                case ScrapeFailureReason.Timeout: timeout++; break;
                case ScrapeFailureReason.TlsVerification: tls++; break;
                case ScrapeFailureReason.HttpStatus: status++; break;
                case ScrapeFailureReason.UnparsableBody: unparsable++; break;
                case ScrapeFailureReason.TooLarge: tooLarge++; break;
                default: other++; break;
            }
        }
        if (failed == 0)
            _logger.CycleFinished(results.Length, servableNodes, servablePods, durationMs);
        else
            _logger.CycleFinishedWithFailures(results.Length, failed, refused, timeout, tls, status, unparsable, tooLarge, other, servableNodes, servablePods, durationMs);
    }
}

/// <summary>What one finished cycle did, for the /metrics families.</summary>
public readonly struct CycleReport(NodeScrapeResult[] results, double seconds, long finishedUnixSeconds, int nodePoints, int containerPoints)
{
    public NodeScrapeResult[] Results { get; } = results;

    public double Seconds { get; } = seconds;

    public long FinishedUnixSeconds { get; } = finishedUnixSeconds;

    public int NodePoints { get; } = nodePoints;

    public int ContainerPoints { get; } = containerPoints;
}

internal static partial class CycleLog
{
    [ZLoggerMessage(3001, LogLevel.Debug, "Scrape cycle finished {nodeCount} {servableNodes} {servablePods} {durationMs}")]
    public static partial void CycleFinished(this ILogger logger, int nodeCount, int servableNodes, int servablePods, double durationMs);

    [ZLoggerMessage(3005, LogLevel.Information, "Scrape cycle finished {nodeCount} {failedCount} {refused} {timeout} {tls_verification} {http_status} {unparsable_body} {too_large} {other} {servableNodes} {servablePods} {durationMs}")]
    public static partial void CycleFinishedWithFailures(this ILogger logger, int nodeCount, int failedCount, int refused, int timeout, int tls_verification, int http_status, int unparsable_body, int too_large, int other, int servableNodes, int servablePods, double durationMs);

    [ZLoggerMessage(3003, LogLevel.Information, "Failed probe {probe} {err}")]
    public static partial void ProbeFailed(this ILogger logger, string probe, string err);

    [ZLoggerMessage(3004, LogLevel.Information, "Failed probe {probe} {err} {duration} {maxDuration}")]
    public static partial void ProbeFailedTimely(this ILogger logger, string probe, string err, string duration, string maxDuration);

    [ZLoggerMessage(3002, LogLevel.Error, "Scrape cycle failed {durationMs}")]
    public static partial void CycleFailed(this ILogger logger, double durationMs, Exception exception);
}
