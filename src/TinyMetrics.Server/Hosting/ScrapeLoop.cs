using TinyMetrics.Api;
using TinyMetrics.Discovery;
using TinyMetrics.Scraping;
using TinyMetrics.Serving;
using TinyMetrics.Storage;
using TinyMetrics.Telemetry;

namespace TinyMetrics.Hosting;

/// <summary>
/// The spine: every --metric-resolution, take the cluster as discovery sees it, scrape and parse
/// every selected kubelet, store the points, and publish the new snapshot with one swap.
/// </summary>
internal sealed class ScrapeLoop
{
    private readonly DiscoveryService _discovery;
    private readonly Scraper _scraper;
    private readonly MetricsStore _store;
    private readonly PublishedMetrics _published;
    private readonly HealthState _health;
    private readonly SelfMetrics _selfMetrics;
    private readonly LabelSelector _nodeSelector;
    private readonly TimeSpan _resolution;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ScrapeLoop(DiscoveryService discovery, Scraper scraper, MetricsStore store, PublishedMetrics published, HealthState health,
        SelfMetrics selfMetrics, LabelSelector nodeSelector, TimeSpan resolution, TimeProvider time, ILogger logger)
    {
        _discovery = discovery;
        _scraper = scraper;
        _store = store;
        _published = published;
        _health = health;
        _selfMetrics = selfMetrics;
        _nodeSelector = nodeSelector;
        _resolution = resolution;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            // As upstream: no scrape before the node and pod lists are known.
            await _discovery.WaitForSyncAsync(stoppingToken);
            using var timer = new PeriodicTimer(_resolution, _time);
            do
            {
                await TickAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        _health.TickStarted();
        var started = _time.GetTimestamp();
        try
        {
            // A cycle never outlives its resolution, so ticks cannot pile up behind a slow kubelet.
            using var cycle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            cycle.CancelAfter(_resolution);

            var cluster = _discovery.Current;
            var nodes = NodeSelection.Select(cluster, _nodeSelector.IsEmpty ? null : _nodeSelector.Matches);
            var results = await _scraper.ScrapeAsync(nodes, cycle.Token);
            var snapshot = _store.Store(results, cluster);
            _published.Publish(RenderedSnapshot.Render(snapshot));
            // The previous snapshot just became gen2 garbage, where the GC would let it pile up for
            // many cycles; one background gen2 per cycle keeps RSS near the live size (measured at
            // 500 nodes: -14 MiB RSS for +0.01 millicore per node).
            GC.Collect(2, GCCollectionMode.Forced, blocking: false);

            var elapsed = _time.GetElapsedTime(started);
            _selfMetrics.RecordCycle(results, elapsed.TotalSeconds, _time.GetUtcNow().ToUnixTimeSeconds(), snapshot.NodePoints, snapshot.ContainerPoints);
            _logger.CycleFinished(nodes.Count, CountFailures(results), snapshot.Nodes.Length, snapshot.Pods.Length, elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A broken cycle is logged and the next one starts on time; the last snapshot keeps being served.
            _logger.CycleFailed(_time.GetElapsedTime(started).TotalMilliseconds, ex);
        }
    }

    private static int CountFailures(NodeScrapeResult[] results)
    {
        var failures = 0;
        foreach (var result in results)
        {
            if (!result.Succeeded)
                failures++;
        }
        return failures;
    }
}
