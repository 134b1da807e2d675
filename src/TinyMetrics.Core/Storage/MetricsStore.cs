using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyMetrics.Discovery;
using TinyMetrics.Scraping;

namespace TinyMetrics.Storage;

/// <summary>
/// metrics-server's storage (pkg/storage): keeps the last two points of every node and container of the
/// newest scrape batch, computes CPU rates from kubelet timestamps, applies the fresh-container and restart
/// rules, and joins the result with the cluster view into an immutable <see cref="MetricsSnapshot"/>.
/// Single writer (the scrape loop); not thread-safe. Publishing is the caller's job (the server's SnapshotCell).
/// </summary>
public sealed class MetricsStore
{
    private readonly NodePointStore _nodes;
    private readonly PodPointStore _pods;
    private readonly HashSet<string> _pendingNames = new(StringComparer.Ordinal);
    private int _generation;

    /// <param name="resolution">The scrape interval (<c>--metric-resolution</c>); a container younger than it
    /// (and at least 10 s old) is served from its first point.</param>
    /// <param name="logger">where dropped points (stale timestamps, refused rates) are said, one line per node and cycle.</param>
    public MetricsStore(TimeSpan resolution, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(resolution, TimeSpan.Zero);
        logger ??= NullLogger.Instance;
        _nodes = new NodePointStore(logger);
        _pods = new PodPointStore(resolution.Ticks * TimeSpan.NanosecondsPerTick, logger);
    }

    /// <summary>
    /// Nodes and pods of the last <see cref="Store"/> that the cluster view knows but that are not servable
    /// for lack of a second point (first sighting, a new or restarted container, a timestamp that did not
    /// advance): what a scrape as soon as their kubelets' timestamps advance would make servable.
    /// </summary>
    public int PendingNodes => _nodes.Pending;

    /// <inheritdoc cref="PendingNodes"/>
    public int PendingPods => _pods.Pending;

    /// <summary>The newest kubelet timestamp (Unix ns) among the pending points; 0 when nothing is pending.</summary>
    public long PendingNewestNs => Math.Max(_nodes.PendingNewestNs, _pods.PendingNewestNs);

    /// <summary>Whether <paramref name="node"/> is pending itself or runs a pending pod: the nodes a start-up scrape asks again.</summary>
    public bool IsPending(string node) => _pendingNames.Contains(node);

    /// <summary>
    /// Replaces the stored state with one cycle's results (failed nodes contribute nothing and are forgotten,
    /// as upstream) and returns the snapshot to publish. Results earlier in <paramref name="results"/> win
    /// over later duplicates of the same node or pod. The batches are copied; callers may reuse them.
    /// </summary>
    public MetricsSnapshot Store(ReadOnlySpan<NodeScrapeResult> results, ClusterView cluster) => Store(results, cluster, null);

    /// <summary>
    /// As <see cref="Store"/> for a start-up scrape of some nodes (the <see cref="IsPending"/> ones): the nodes
    /// not in <paramref name="results"/> and their pods keep their points, rates and pending state. The new
    /// points are served but never rated against by the next regular cycle, which rates against the point
    /// before them (<see cref="PointPair"/>), so every regular rate spans one tick interval, as upstream's.
    /// </summary>
    public MetricsSnapshot StoreStartup(ReadOnlySpan<NodeScrapeResult> results, ClusterView cluster)
    {
        var scraped = new HashSet<string>(results.Length, StringComparer.Ordinal);
        foreach (var result in results)
            scraped.Add(result.NodeName);
        return Store(results, cluster, scraped);
    }

    private MetricsSnapshot Store(ReadOnlySpan<NodeScrapeResult> results, ClusterView cluster, HashSet<string>? scraped)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _generation++;
        _nodes.Update(results, _generation, scraped);
        _pods.Update(results, _generation, scraped);
        _pendingNames.Clear();
        return new MetricsSnapshot(_nodes.Build(cluster, _pendingNames), _pods.Build(cluster, _pendingNames), _nodes.Points, _pods.Points);
    }
}
