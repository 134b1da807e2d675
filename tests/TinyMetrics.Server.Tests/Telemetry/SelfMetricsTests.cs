using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Cycle;
using TinyMetrics.Scraping;

namespace TinyMetrics.Telemetry.Tests;

public class SelfMetricsTests
{
    private static readonly FakeTimeProvider Time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    private static string[] Lines(string exposition) => exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static CycleReport Cycle(long finished, params NodeScrapeResult[] results) => new(results, 0.75, finished, 2, 9);

    [Test]
    public async Task Render_AfterACycle_HasUpstreamsFamiliesWithHelpAndType()
    {
        var metrics = new SelfMetrics(TimeSpan.FromSeconds(15), Time);
        metrics.RecordCycle(Cycle(1_700_000_100, new NodeScrapeResult("node-b", null, "refused", 12), new NodeScrapeResult("node-a", new Parsing.NodeBatch(), null, 30)));

        var lines = Lines(metrics.Render());

        await Assert.That(lines).Contains("# HELP metrics_server_kubelet_request_total [ALPHA] Number of requests sent to Kubelet API");
        await Assert.That(lines).Contains("# TYPE metrics_server_kubelet_request_total counter");
        await Assert.That(lines).Contains("metrics_server_kubelet_request_total{success=\"false\"} 1");
        await Assert.That(lines).Contains("metrics_server_kubelet_request_total{success=\"true\"} 1");
        await Assert.That(lines).Contains("metrics_server_kubelet_last_request_time_seconds{node=\"node-a\"} 1700000100");
        await Assert.That(lines).Contains("metrics_server_kubelet_request_duration_seconds_bucket{node=\"node-a\",le=\"0.05\"} 1");
        await Assert.That(lines).Contains("metrics_server_kubelet_request_duration_seconds_bucket{node=\"node-a\",le=\"0.025\"} 0");
        await Assert.That(lines).Contains("metrics_server_kubelet_request_duration_seconds_sum{node=\"node-b\"} 0.012");
        await Assert.That(lines).Contains("metrics_server_manager_tick_duration_seconds_bucket{le=\"1\"} 1");
        await Assert.That(lines).Contains("metrics_server_manager_tick_duration_seconds_bucket{le=\"0.5\"} 0");
        await Assert.That(lines).Contains("metrics_server_manager_tick_duration_seconds_bucket{le=\"30\"} 1");
        await Assert.That(lines).Contains("metrics_server_storage_points{type=\"container\"} 9");
        await Assert.That(lines).Contains("metrics_server_storage_points{type=\"node\"} 2");
        await Assert.That(lines).Contains("# TYPE process_open_fds gauge");
        await Assert.That(lines).Contains("metrics_server_kubelet_scrape_failure{node=\"node-b\",reason=\"refused\"} 1");
    }

    [Test]
    [Arguments("metrics_server_api_metric_freshness_seconds", "histogram", "Freshness of metrics exported")]
    [Arguments("metrics_server_kubelet_last_request_time_seconds", "gauge", "Time of last request performed to Kubelet API since unix epoch in seconds")]
    [Arguments("metrics_server_kubelet_request_duration_seconds", "histogram", "Duration of requests to Kubelet API in seconds")]
    [Arguments("metrics_server_kubelet_request_total", "counter", "Number of requests sent to Kubelet API")]
    [Arguments("metrics_server_manager_tick_duration_seconds", "histogram", "The total time spent collecting and storing metrics in seconds.")]
    [Arguments("metrics_server_storage_points", "gauge", "Number of metrics points stored.")]
    [Arguments("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.")]
    [Arguments("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")]
    [Arguments("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.")]
    [Arguments("process_open_fds", "gauge", "Number of open file descriptors.")]
    [Arguments("process_max_fds", "gauge", "Maximum number of open file descriptors.")]
    [Arguments("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.")]
    public async Task Render_Family_HasUpstreamsHelpAndType(string name, string type, string help)
    {
        var metrics = new SelfMetrics(TimeSpan.FromSeconds(15), Time);
        var lines = Lines(metrics.Render());
        var prefix = name.StartsWith("metrics_server_", StringComparison.Ordinal) ? "[ALPHA] " : "";

        await Assert.That(lines).Contains($"# HELP {name} {prefix}{help}");
        await Assert.That(lines).Contains($"# TYPE {name} {type}");
    }

    [Test]
    public async Task Render_NodesInNameOrder()
    {
        var metrics = new SelfMetrics(TimeSpan.FromSeconds(15), Time);
        metrics.RecordCycle(Cycle(1, new NodeScrapeResult("node-c", null, "x", 1), new NodeScrapeResult("node-a", null, "x", 1), new NodeScrapeResult("node-b", null, "x", 1)));

        var nodes = new List<string>();
        foreach (var line in Lines(metrics.Render()))
        {
            if (line.StartsWith("metrics_server_kubelet_last_request_time_seconds{", StringComparison.Ordinal))
                nodes.Add(line.Split('"')[1]);
        }

        await Assert.That(nodes).IsEquivalentTo(new[] { "node-a", "node-b", "node-c" });
    }

    [Test]
    public async Task RecordCycle_NodeGoneFromTheCluster_StopsBeingReported()
    {
        var metrics = new SelfMetrics(TimeSpan.FromSeconds(15), Time);
        metrics.RecordCycle(Cycle(1, new NodeScrapeResult("node-a", null, "x", 1), new NodeScrapeResult("node-gone", null, "x", 1)));
        metrics.RecordCycle(Cycle(2, new NodeScrapeResult("node-a", null, "x", 1)));

        var exposition = metrics.Render();

        await Assert.That(exposition).DoesNotContain("node-gone");
        await Assert.That(Lines(exposition)).Contains("metrics_server_kubelet_last_request_time_seconds{node=\"node-a\"} 2");
        await Assert.That(Lines(exposition)).Contains("metrics_server_kubelet_request_total{success=\"false\"} 3");
    }

    [Test]
    public async Task RecordCycle_StartupScrapeOfSomeNodes_TheOthersStillReported()
    {
        var metrics = new SelfMetrics(TimeSpan.FromSeconds(15), Time);
        metrics.RecordCycle(Cycle(1, new NodeScrapeResult("node-a", null, "x", 1), new NodeScrapeResult("node-b", null, "x", 1)));
        metrics.RecordCycle(new CycleReport([new NodeScrapeResult("node-b", null, "x", 1)], 0.5, 2, 2, 9, startup: true));

        var lines = Lines(metrics.Render());

        await Assert.That(lines).Contains("metrics_server_kubelet_last_request_time_seconds{node=\"node-a\"} 1");
        await Assert.That(lines).Contains("metrics_server_kubelet_last_request_time_seconds{node=\"node-b\"} 2");
    }

    [Test]
    public async Task RecordCycle_NodeFellBackToSummary_CountsBothRequestsByPathAndOneNodeOutcome()
    {
        var metrics = new SelfMetrics(TimeSpan.FromSeconds(15), Time);
        var fellBack = new NodeScrapeResult("node-a", new Parsing.NodeBatch(), null, 1, Requests: new KubeletRequests(404, 200));
        var summaryOnly = new NodeScrapeResult("node-b", new Parsing.NodeBatch(), null, 1, Requests: new KubeletRequests(0, 200));
        var resource = new NodeScrapeResult("node-c", new Parsing.NodeBatch(), null, 1, Requests: new KubeletRequests(200, 0));
        var timedOut = new NodeScrapeResult("node-d", null, "timeout", 1, ScrapeFailureReason.Timeout, new KubeletRequests(404, KubeletRequests.NoResponse));
        metrics.RecordCycle(Cycle(1, fellBack, summaryOnly, resource, timedOut));
        metrics.RecordCycle(Cycle(2, summaryOnly));

        var lines = Lines(metrics.Render());
        var byPath = lines.Where(l => l.StartsWith("tinymetrics_kubelet_requests_total{", StringComparison.Ordinal)).ToArray();

        await Assert.That(byPath).IsEquivalentTo(new[]
        {
            "tinymetrics_kubelet_requests_total{code=\"200\",path=\"/metrics/resource\"} 1",
            "tinymetrics_kubelet_requests_total{code=\"200\",path=\"/stats/summary\"} 3",
            "tinymetrics_kubelet_requests_total{code=\"404\",path=\"/metrics/resource\"} 2",
            "tinymetrics_kubelet_requests_total{code=\"<error>\",path=\"/stats/summary\"} 1",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        // Upstream's family keeps one outcome per node scrape, whatever endpoints it took.
        await Assert.That(lines).Contains("metrics_server_kubelet_request_total{success=\"true\"} 4");
        await Assert.That(lines).Contains("metrics_server_kubelet_request_total{success=\"false\"} 1");
        await Assert.That(lines).Contains("# TYPE tinymetrics_kubelet_requests_total counter");
    }

    [Test]
    public async Task ObserveFreshness_ItemCount_CountsEveryItem()
    {
        var metrics = new SelfMetrics(TimeSpan.FromSeconds(15), Time);

        metrics.ObserveFreshness(3, items: 4);

        var lines = Lines(metrics.Render());
        await Assert.That(lines).Contains("metrics_server_api_metric_freshness_seconds_count 4");
        await Assert.That(lines).Contains("metrics_server_api_metric_freshness_seconds_sum 12");
        await Assert.That(lines).Contains("metrics_server_api_metric_freshness_seconds_bucket{le=\"1\"} 0");
    }

    [Test]
    public async Task Render_EveryFamilyPresent_FamiliesInNameOrderAsClientGolangGathers()
    {
        var metrics = new SelfMetrics(TimeSpan.FromSeconds(15), Time);
        metrics.RecordCycle(Cycle(1_700_000_100, new NodeScrapeResult("node-b", null, "refused", 12), new NodeScrapeResult("node-a", new Parsing.NodeBatch(), null, 30)));
        metrics.Requests.Record(new ApiRequestLabels("LIST", "", "metrics.k8s.io", "v1beta1", "nodes", "", "cluster", "apiserver"), 200, 0.01, 500);
        metrics.RestClient.Observe("GET", "127.0.0.1:6443", 200, 0.02);
        metrics.ObserveFreshness(3);

        var families = new List<string>();
        foreach (var line in Lines(metrics.Render()))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
                families.Add(line.Split(' ')[2]);
        }

        await Assert.That(families).Contains("apiserver_response_sizes");
        await Assert.That(families).Contains("dotnet_gc_heap_size_bytes");
        await Assert.That(families).Contains("metrics_server_kubelet_scrape_failure");
        await Assert.That(families).Contains("rest_client_requests_total");
        await Assert.That(families).Contains("tinymetrics_kubelet_requests_total");
        await Assert.That(families.Count).IsEqualTo(22);
        await Assert.That(families).IsEquivalentTo(families.Order(StringComparer.Ordinal).ToList(), TUnit.Assertions.Enums.CollectionOrdering.Matching)
            .Because(string.Join(", ", families));
    }
}
