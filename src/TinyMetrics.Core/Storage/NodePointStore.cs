using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using TinyMetrics.Discovery;
using TinyMetrics.Scraping;

namespace TinyMetrics.Storage;

/// <summary>Node half of the store (metrics-server pkg/storage/node.go): two points per node, only nodes of the newest batch.</summary>
internal sealed class NodePointStore
{
    private readonly Dictionary<string, PointPair> _nodes = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public NodePointStore(ILogger logger) => _logger = logger;

    /// <summary>Nodes holding a prev point (<c>metrics_server_storage_points{type="node"}</c>).</summary>
    public int Points { get; private set; }

    /// <summary>Nodes of the newest batch, known to the cluster view, that lack a prev point (set by <see cref="Build"/>).</summary>
    public int Pending { get; private set; }

    /// <summary>The newest kubelet timestamp among the <see cref="Pending"/> nodes' points; 0 when none is pending.</summary>
    public long PendingNewestNs { get; private set; }

    /// <param name="scraped">null for a regular cycle; for start-up scrapes of some nodes, their names: every other node is kept as it is.</param>
    public void Update(ReadOnlySpan<NodeScrapeResult> results, int generation, HashSet<string>? scraped)
    {
        var startup = scraped is not null;
        foreach (var result in results)
        {
            if (result.Batch is not { HasNode: true } batch)
                continue;
            ref var pair = ref CollectionsMarshal.GetValueRefOrAddDefault(_nodes, result.NodeName, out var existed);
            if (existed && pair.Generation == generation)
                continue;   // the same node twice in one cycle: the first result wins
            if (pair.Advance(batch.Node, existed, startup))
                _logger.StalePointsDropped(result.NodeName, 1);
            pair.Generation = generation;
        }

        var points = 0;
        foreach (var (name, pair) in _nodes)
        {
            if (pair.Generation != generation)
            {
                if (scraped is null || scraped.Contains(name))
                {
                    _nodes.Remove(name);   // absent from the newest batch: forgotten, as upstream
                    continue;
                }
                CollectionsMarshal.GetValueRefOrNullRef(_nodes, name).Generation = generation;   // not asked by this start-up scrape: kept as it is
            }
            if (pair.HasPrev)
                points++;
        }
        Points = points;
    }

    /// <summary>Servable nodes known to the cluster view, sorted by name (ordinal); the pending ones' names go to <paramref name="pendingNames"/>.</summary>
    public NodeMetricsValue[] Build(ClusterView cluster, HashSet<string> pendingNames)
    {
        var nodes = new List<NodeMetricsValue>(Points);
        int pending = 0;
        long pendingNewest = 0;
        foreach (var (name, pair) in _nodes)
        {
            if (!cluster.Nodes.TryGetValue(name, out var info))
                continue;
            if (!pair.HasPrev)
            {
                pending++;
                pendingNames.Add(name);
                pendingNewest = Math.Max(pendingNewest, pair.Last.TimestampNs);
                continue;
            }
            if (!RateCalculator.TryCompute(pair.Last, pair.Prev, out var cpu, out var window))
            {
                // Counter reset (node restart) or a counter going backwards: skipped until it has two good points.
                _logger.NodeUsageSkipped(name, RateCalculator.FailureOf(pair.Last, pair.Prev));
                continue;
            }
            nodes.Add(new NodeMetricsValue(info.Name, info.Labels, pair.Last.TimestampNs, window, cpu, pair.Last.MemoryBytes, pair.Last.Swap));
        }
        Pending = pending;
        PendingNewestNs = pendingNewest;
        nodes.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return [.. nodes];
    }
}
