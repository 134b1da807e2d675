using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Kubectl;

/// <summary>Every second kubelet serves only the Summary API (404 on /metrics/resource); tinymetrics runs with the default source.</summary>
public sealed class SummaryOnlyNodesCluster : LocalCluster
{
    protected override string FirstAddress => "127.98.0.1";

    protected override int SimulatedNodes => 4;

    protected override int SimulatedPodsPerNode => 3;

    protected override IEnumerable<string> ExtraSimulatorArgs => ["--summary-only-every=2"];
}

/// <summary>tinymetrics scrapes every node through the Summary API (--kubelet-metrics-source=summary); no kubelet serves /metrics/resource.</summary>
public sealed class SummarySourceCluster : LocalCluster
{
    protected override string FirstAddress => "127.98.64.1";

    protected override int SimulatedNodes => 3;

    protected override int SimulatedPodsPerNode => 3;

    // Every kubelet answers 404 on /metrics/resource: with the default source each node would fall back and say so.
    protected override IEnumerable<string> ExtraSimulatorArgs => ["--summary-only-every=1"];

    protected override IEnumerable<string> ExtraServerArgs => ["--kubelet-metrics-source=summary"];
}

/// <summary>
/// The kubelet Summary API as a source, end to end with the real kubectl: kubelets without /metrics/resource are
/// scraped through /stats/summary by default and their nodes and pods show the simulator's exact numbers, beside
/// nodes scraped as usual; each such node is logged once when it falls back.
/// </summary>
[ClassDataSource<SummaryOnlyNodesCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class KubectlSummaryTests(SummaryOnlyNodesCluster cluster)
{
    [Test]
    public async Task TopNodesAndPods_SomeKubeletsSummaryOnly_EveryNodeAndPodMatchesSimulator()
    {
        await TopExpectations.NodesMatchAsync(cluster);
        await TopExpectations.PodsMatchAsync(cluster);

        var fallbacks = cluster.Server.Output.Split('\n').Where(l => l.Contains("scraping the Summary API", StringComparison.Ordinal)).ToArray();
        var nodes = cluster.Expected.Nodes.Select(n => n.Name).Order(StringComparer.Ordinal).ToArray();
        foreach (var (name, i) in nodes.Select((n, i) => (n, i)))
        {
            var logged = fallbacks.Count(l => l.Contains($"node=\"{name}\"", StringComparison.Ordinal));
            await Assert.That(logged).IsEqualTo(i % 2 == 1 ? 1 : 0).Because(string.Join('\n', fallbacks));
        }
    }

    [Test]
    public async Task ControlEndpoint_KubeletTurnsSummaryOnly_NodeFallsBackAndStaysServed()
    {
        var node = cluster.Expected.Nodes.Select(n => n.Name).Order(StringComparer.Ordinal).First();
        await Assert.That(await ControlAsync($"/simulator/nodes/{node}/summary-only?value=true")).IsEqualTo("true\n");

        // Within a few 10 s cycles the node's 404 is seen and it moves to the Summary API; it is never dropped on the way.
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!cluster.Server.Output.Contains($"scraping the Summary API\" node=\"{node}\"", StringComparison.Ordinal))
        {
            await Assert.That(DateTime.UtcNow).IsLessThan(deadline).Because(cluster.Server.Tail());
            await Task.Delay(500);
        }
        await TopExpectations.NodesMatchAsync(cluster);
    }

    private async Task<string> ControlAsync(string pathAndQuery)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { BaseAddress = cluster.ApiUri, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "admin-token");
        using var response = await client.PostAsync(pathAndQuery, null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}

/// <summary>With the flag forcing the Summary API, kubectl top shows every node and pod exactly, and no node falls back.</summary>
[ClassDataSource<SummarySourceCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class KubectlSummarySourceTests(SummarySourceCluster cluster)
{
    [Test]
    public async Task TopNodesAndPods_SummarySourceForEveryNode_MatchSimulator()
    {
        await TopExpectations.NodesMatchAsync(cluster);
        await TopExpectations.PodsMatchAsync(cluster);
        await Assert.That(cluster.Server.Output).DoesNotContain("scraping the Summary API");
    }

    // The Summary's swap objects carry the bytes of the text body's swap series: node 0 has swap in use.
    [Test]
    public async Task MetricsApi_SummarySource_SwapMatchesSimulator()
    {
        await Assert.That(cluster.Expected.Nodes.Any(n => n.SwapBytes > 0)).IsTrue().Because("a node of this cluster has swap in use");
        await Assert.That(cluster.Expected.Pods.Any(p => p.Containers.Any(c => c.SwapBytes > 0))).IsTrue().Because("containers have swap in use");

        await SwapExpectations.MetricsApiMatchesAsync(cluster, "v1beta1");
    }
}
