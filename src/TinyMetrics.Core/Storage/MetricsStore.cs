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
    private readonly NodePointStore _nodes = new();
    private readonly PodPointStore _pods;
    private int _generation;

    /// <param name="resolution">The scrape interval (<c>--metric-resolution</c>); a container younger than it
    /// (and at least 10 s old) is served from its first point.</param>
    public MetricsStore(TimeSpan resolution)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(resolution, TimeSpan.Zero);
        _pods = new PodPointStore(resolution.Ticks * TimeSpan.NanosecondsPerTick);
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

    /// <summary>
    /// Replaces the stored state with one cycle's results (failed nodes contribute nothing and are forgotten,
    /// as upstream) and returns the snapshot to publish. Results earlier in <paramref name="results"/> win
    /// over later duplicates of the same node or pod. The batches are copied; callers may reuse them.
    /// </summary>
    public MetricsSnapshot Store(ReadOnlySpan<NodeScrapeResult> results, ClusterView cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _generation++;
        _nodes.Update(results, _generation);
        _pods.Update(results, _generation);
        return new MetricsSnapshot(_nodes.Build(cluster), _pods.Build(cluster), _nodes.Points, _pods.Points);
    }
}
