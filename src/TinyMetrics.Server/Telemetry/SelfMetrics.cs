using System.Globalization;
using System.Text;
using TinyMetrics.Cycle;

namespace TinyMetrics.Telemetry;

/// <summary>
/// The six metrics_server_* families upstream exposes on /metrics, with the same names, labels and
/// buckets, the apiserver_* request families and client-go's rest_client_* ones, plus client_golang's process_* set and dotnet_gc_* extras. The scrape loop is the only writer of the per-node tables and
/// publishes them whole after each cycle, so /metrics never races a half-updated table.
/// </summary>
public sealed class SelfMetrics
{
    private readonly Histogram _freshness = new(Histogram.ExponentialBuckets(1, 1.364, 20));
    private readonly Histogram _tickDuration;
    private readonly Dictionary<string, NodeStats> _nodes = new(StringComparer.Ordinal);
    private NodeStats[] _published = [];
    private readonly Dictionary<(short Code, bool Summary), long> _kubeletRequests = [];
    private KubeletRequestCount[] _publishedRequests = [];
    private long _requestsSucceeded;
    private long _requestsFailed;
    private long _storagePointsNode;
    private long _storagePointsContainer;
    private readonly long _startUnixSeconds;

    public SelfMetrics(TimeSpan resolution, TimeProvider time)
    {
        _tickDuration = new Histogram(Histogram.ScrapeDurationBuckets(resolution));
        _startUnixSeconds = time.GetUtcNow().ToUnixTimeSeconds();
    }

    /// <summary>Requests served, recorded by <see cref="ApiRequestRecorder"/>.</summary>
    internal ApiServerMetrics Requests { get; } = new();

    /// <summary>Our calls to the Kubernetes API, recorded by every <see cref="Kube.KubeApiClient"/>.</summary>
    public RestClientMetrics RestClient { get; } = new();

    /// <summary>The max-in-flight filter whose peaks apiserver_current_inflight_requests shows; none reads as 0.</summary>
    internal Security.MaxInFlightLimit? InFlight { get; set; }

    /// <summary>HA mode's families (tinymetrics_*); none without <c>--replicas-from</c>.</summary>
    public Replicas.ReplicaMetrics? Replicas { get; set; }

    public void ObserveFreshness(double seconds, long items = 1) => _freshness.Observe(seconds, items);

    /// <summary>Called by the scrape cycle once per cycle, after storage.</summary>
    public void RecordCycle(CycleReport report)
    {
        var results = report.Results;
        var nowUnixSeconds = report.FinishedUnixSeconds;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            // A node a peer scraped and shared cost this replica no kubelet request: it has no series here.
            if (result.FromPeer)
                continue;
            if (!_nodes.TryGetValue(result.NodeName, out var stats))
                _nodes[result.NodeName] = stats = new NodeStats(result.NodeName);
            stats.Duration.Observe(result.ElapsedMs / 1000.0);
            stats.LastRequestUnixSeconds = nowUnixSeconds;
            stats.FailureReason = result.Succeeded ? null : result.Reason ?? Scraping.ScrapeFailureReason.Refused;
            seen.Add(result.NodeName);
            if (result.Succeeded)
                Interlocked.Increment(ref _requestsSucceeded);
            else
                Interlocked.Increment(ref _requestsFailed);
            CountRequest(result.Requests.Resource, summary: false);
            CountRequest(result.Requests.Summary, summary: true);
        }
        // Nodes gone from the cluster stop being reported, so label cardinality follows the cluster; a start-up
        // scrape asks only the pending nodes, so it removes none.
        foreach (var name in _nodes.Keys)
        {
            if (!report.Startup && !seen.Contains(name))
                _nodes.Remove(name);
        }
        _tickDuration.Observe(report.Seconds);
        Volatile.Write(ref _storagePointsNode, report.NodePoints);
        Volatile.Write(ref _storagePointsContainer, report.ContainerPoints);
        var published = new NodeStats[_nodes.Count];
        _nodes.Values.CopyTo(published, 0);
        Array.Sort(published, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        Volatile.Write(ref _published, published);
        Volatile.Write(ref _publishedRequests, PublishRequests());
    }

    private void CountRequest(short code, bool summary)
    {
        if (code != 0)
            _kubeletRequests[(code, summary)] = _kubeletRequests.GetValueOrDefault((code, summary)) + 1;
    }

    // In client_golang's series order: by code text ("<error>" after the digits), then path.
    private KubeletRequestCount[] PublishRequests()
    {
        var counts = new KubeletRequestCount[_kubeletRequests.Count];
        var i = 0;
        foreach (var ((code, summary), count) in _kubeletRequests)
        {
            var codeText = code > 0 ? code.ToString(CultureInfo.InvariantCulture) : "<error>";
            counts[i++] = new KubeletRequestCount($"code=\"{PromText.Escape(codeText)}\",path=\"{(summary ? SummaryPath : ResourcePath)}\"", count);
        }
        Array.Sort(counts, static (a, b) => string.CompareOrdinal(a.Labels, b.Labels));
        return counts;
    }

    /// <summary>
    /// The exposition with its families in name order, as client_golang's gatherer sorts them (upstream's legacyregistry):
    /// apiserver_*, dotnet_gc_*, metrics_server_*, process_*, rest_client_*, tinymetrics_*.
    /// </summary>
    public string Render()
    {
        var output = new StringBuilder(4096);
        var (readOnly, mutating) = InFlight?.TakePeaks() ?? (0, 0);
        Requests.WriteTo(output, readOnly, mutating);
        WriteGc(output);
        Header(output, "metrics_server_api_metric_freshness_seconds", "Freshness of metrics exported", "histogram");
        _freshness.WriteTo(output, "metrics_server_api_metric_freshness_seconds", "");

        var nodes = Volatile.Read(ref _published);
        Header(output, "metrics_server_kubelet_last_request_time_seconds", "Time of last request performed to Kubelet API since unix epoch in seconds", "gauge");
        foreach (var node in nodes)
            output.Append("metrics_server_kubelet_last_request_time_seconds{node=\"").Append(node.Name).Append("\"} ").Append(node.LastRequestUnixSeconds).Append('\n');
        Header(output, "metrics_server_kubelet_request_duration_seconds", "Duration of requests to Kubelet API in seconds", "histogram");
        foreach (var node in nodes)
            node.Duration.WriteTo(output, "metrics_server_kubelet_request_duration_seconds", "node=\"" + node.Name + "\"");
        Header(output, "metrics_server_kubelet_request_total", "Number of requests sent to Kubelet API", "counter");
        output.Append("metrics_server_kubelet_request_total{success=\"false\"} ").Append(Volatile.Read(ref _requestsFailed)).Append('\n');
        output.Append("metrics_server_kubelet_request_total{success=\"true\"} ").Append(Volatile.Read(ref _requestsSucceeded)).Append('\n');

        WriteFailures(output, nodes);

        Header(output, "metrics_server_manager_tick_duration_seconds", "The total time spent collecting and storing metrics in seconds.", "histogram");
        _tickDuration.WriteTo(output, "metrics_server_manager_tick_duration_seconds", "");
        Header(output, "metrics_server_storage_points", "Number of metrics points stored.", "gauge");
        output.Append("metrics_server_storage_points{type=\"container\"} ").Append(Volatile.Read(ref _storagePointsContainer)).Append('\n');
        output.Append("metrics_server_storage_points{type=\"node\"} ").Append(Volatile.Read(ref _storagePointsNode)).Append('\n');

        ProcessMetrics.WriteTo(output, _startUnixSeconds);
        RestClient.WriteTo(output);
        WriteRequestsByPath(output);
        WriteReplicas(output, Replicas);
        return output.ToString();
    }

    // 1 for each node whose last scrape failed, with the reason; a node that recovers or leaves the cluster
    // loses its series, so cardinality is bounded by the failing nodes.
    private static void WriteFailures(StringBuilder output, NodeStats[] nodes)
    {
        Header(output, "metrics_server_kubelet_scrape_failure", "1 for a node whose last scrape failed, with the reason: refused, timeout, tls_verification, http_status, unparsable_body, too_large, no_series, no_address", "gauge");
        foreach (var node in nodes)
        {
            if (node.FailureReason is { } reason)
                output.Append("metrics_server_kubelet_scrape_failure{node=\"").Append(node.Name).Append("\",reason=\"").Append(reason).Append("\"} 1\n");
        }
    }

    // Every HTTP request to a kubelet, by endpoint: metrics_server_kubelet_request_total counts one outcome per node
    // and cycle with upstream's labels, which hides the 404 a node falling back to the Summary API answers first.
    private void WriteRequestsByPath(StringBuilder output)
    {
        output.Append("# HELP tinymetrics_kubelet_requests_total HTTP requests sent to kubelets, by endpoint path and status code (<error> without a response).\n")
            .Append("# TYPE tinymetrics_kubelet_requests_total counter\n");
        foreach (var count in Volatile.Read(ref _publishedRequests))
            output.Append("tinymetrics_kubelet_requests_total{").Append(count.Labels).Append("} ").Append(count.Count).Append('\n');
    }

    // After rest_client_*, in name order: tinymetrics_peer_fetch_total, then tinymetrics_replica_*.
    private static void WriteReplicas(StringBuilder output, Replicas.ReplicaMetrics? replicas)
    {
        if (replicas is null)
            return;
        output.Append("# HELP tinymetrics_peer_fetch_total Peer share fetches by result: ok, or why the peer's nodes were scraped here instead.\n# TYPE tinymetrics_peer_fetch_total counter\n");
        foreach (var result in TinyMetrics.Replicas.PeerFetchResult.All)
            output.Append("tinymetrics_peer_fetch_total{result=\"").Append(result).Append("\"} ").Append(replicas.Fetches(result)).Append('\n');
        output.Append("# HELP tinymetrics_replica_members Ready replicas listed by the Service's EndpointSlices.\n# TYPE tinymetrics_replica_members gauge\n")
            .Append("tinymetrics_replica_members ").Append(replicas.Members).Append('\n');
        output.Append("# HELP tinymetrics_replica_nodes_owned Nodes this replica scraped as its own share in the last cycle.\n# TYPE tinymetrics_replica_nodes_owned gauge\n")
            .Append("tinymetrics_replica_nodes_owned ").Append(replicas.NodesOwned).Append('\n');
    }

    private static void WriteGc(StringBuilder output)
    {
        var gc = GC.GetGCMemoryInfo();
        output.Append("# HELP dotnet_gc_committed_bytes Memory committed by the GC.\n# TYPE dotnet_gc_committed_bytes gauge\n")
            .Append("dotnet_gc_committed_bytes ").Append(gc.TotalCommittedBytes).Append('\n');
        output.Append("# HELP dotnet_gc_heap_size_bytes Managed heap size after the last collection.\n# TYPE dotnet_gc_heap_size_bytes gauge\n")
            .Append("dotnet_gc_heap_size_bytes ").Append(gc.HeapSizeBytes).Append('\n');
    }

    private static void Header(StringBuilder output, string name, string help, string type) =>
        output.Append("# HELP ").Append(name).Append(" [ALPHA] ").Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private const string ResourcePath = Scraping.NodeTargetResolver.DefaultPath;
    private const string SummaryPath = "/stats/summary";

    private readonly record struct KubeletRequestCount(string Labels, long Count);

    private sealed class NodeStats(string name)
    {
        public string Name { get; } = name;

        public Histogram Duration { get; } = new(Histogram.DefaultBuckets);

        public long LastRequestUnixSeconds { get; set; }

        public string? FailureReason { get; set; }
    }
}
