using System.Globalization;
using System.Text;
using TinyMetrics.Cycle;

namespace TinyMetrics.Telemetry;

/// <summary>
/// The six metrics_server_* families upstream exposes on /metrics, with the same names, labels and
/// buckets, plus process_* basics. The scrape loop is the only writer of the per-node tables and
/// publishes them whole after each cycle, so /metrics never races a half-updated table.
/// </summary>
public sealed class SelfMetrics
{
    private readonly Histogram _freshness = new(Histogram.ExponentialBuckets(1, 1.364, 20));
    private readonly Histogram _tickDuration;
    private readonly Dictionary<string, NodeStats> _nodes = new(StringComparer.Ordinal);
    private NodeStats[] _published = [];
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

    public void ObserveFreshness(double seconds, long items = 1) => _freshness.Observe(seconds, items);

    /// <summary>Called by the scrape cycle once per cycle, after storage.</summary>
    public void RecordCycle(CycleReport report)
    {
        var results = report.Results;
        var nowUnixSeconds = report.FinishedUnixSeconds;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (!_nodes.TryGetValue(result.NodeName, out var stats))
                _nodes[result.NodeName] = stats = new NodeStats(result.NodeName);
            stats.Duration.Observe(result.ElapsedMs / 1000.0);
            stats.LastRequestUnixSeconds = nowUnixSeconds;
            seen.Add(result.NodeName);
            if (result.Succeeded)
                Interlocked.Increment(ref _requestsSucceeded);
            else
                Interlocked.Increment(ref _requestsFailed);
        }
        // Nodes gone from the cluster stop being reported, so label cardinality follows the cluster.
        foreach (var name in _nodes.Keys)
        {
            if (!seen.Contains(name))
                _nodes.Remove(name);
        }
        _tickDuration.Observe(report.Seconds);
        Volatile.Write(ref _storagePointsNode, report.NodePoints);
        Volatile.Write(ref _storagePointsContainer, report.ContainerPoints);
        var published = new NodeStats[_nodes.Count];
        _nodes.Values.CopyTo(published, 0);
        Array.Sort(published, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        Volatile.Write(ref _published, published);
    }

    public string Render()
    {
        var output = new StringBuilder(4096);
        Header(output, "metrics_server_api_metric_freshness_seconds", "Freshness of metrics exported", "histogram");
        _freshness.WriteTo(output, "metrics_server_api_metric_freshness_seconds", "");

        var nodes = Volatile.Read(ref _published);
        Header(output, "metrics_server_kubelet_last_request_time_seconds", "Time when last request was made to Kubelet API per node", "gauge");
        foreach (var node in nodes)
            output.Append("metrics_server_kubelet_last_request_time_seconds{node=\"").Append(node.Name).Append("\"} ").Append(node.LastRequestUnixSeconds).Append('\n');
        Header(output, "metrics_server_kubelet_request_duration_seconds", "Duration of requests to Kubelet API in seconds", "histogram");
        foreach (var node in nodes)
            node.Duration.WriteTo(output, "metrics_server_kubelet_request_duration_seconds", "node=\"" + node.Name + "\"");
        Header(output, "metrics_server_kubelet_request_total", "Number of requests sent to Kubelet API", "counter");
        output.Append("metrics_server_kubelet_request_total{success=\"false\"} ").Append(Volatile.Read(ref _requestsFailed)).Append('\n');
        output.Append("metrics_server_kubelet_request_total{success=\"true\"} ").Append(Volatile.Read(ref _requestsSucceeded)).Append('\n');

        Header(output, "metrics_server_manager_tick_duration_seconds", "The total time spent collecting and storing metrics in seconds", "histogram");
        _tickDuration.WriteTo(output, "metrics_server_manager_tick_duration_seconds", "");
        Header(output, "metrics_server_storage_points", "Number of metrics points stored", "gauge");
        output.Append("metrics_server_storage_points{type=\"container\"} ").Append(Volatile.Read(ref _storagePointsContainer)).Append('\n');
        output.Append("metrics_server_storage_points{type=\"node\"} ").Append(Volatile.Read(ref _storagePointsNode)).Append('\n');

        WriteProcess(output);
        return output.ToString();
    }

    private void WriteProcess(StringBuilder output)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        output.Append("# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\n")
            .Append("process_resident_memory_bytes ").Append(process.WorkingSet64).Append('\n');
        output.Append("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\n")
            .Append("process_cpu_seconds_total ").Append(process.TotalProcessorTime.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        var gc = GC.GetGCMemoryInfo();
        output.Append("# HELP dotnet_gc_heap_size_bytes Managed heap size after the last collection.\n# TYPE dotnet_gc_heap_size_bytes gauge\n")
            .Append("dotnet_gc_heap_size_bytes ").Append(gc.HeapSizeBytes).Append('\n');
        output.Append("# HELP dotnet_gc_committed_bytes Memory committed by the GC.\n# TYPE dotnet_gc_committed_bytes gauge\n")
            .Append("dotnet_gc_committed_bytes ").Append(gc.TotalCommittedBytes).Append('\n');
        output.Append("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n# TYPE process_start_time_seconds gauge\n")
            .Append("process_start_time_seconds ").Append(_startUnixSeconds).Append('\n');
    }

    private static void Header(StringBuilder output, string name, string help, string type) =>
        output.Append("# HELP ").Append(name).Append(" [ALPHA] ").Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private sealed class NodeStats(string name)
    {
        public string Name { get; } = name;

        public Histogram Duration { get; } = new(Histogram.DefaultBuckets);

        public long LastRequestUnixSeconds { get; set; }
    }
}
