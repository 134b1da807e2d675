using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Kubectl;

/// <summary>
/// The access path the Kubernetes docs show: the real `kubectl proxy` (bounded, killed at the end) in front of the
/// simulator's API server, whose aggregator forwards to tinymetrics; plain HTTP GETs of the documented URLs return the
/// simulator's exact numbers (CPU within 1m, memory to the byte).
/// </summary>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel(ClusterLanes.Session)]
public sealed class KubectlProxyTests(LocalCluster cluster)
{
    private const string Serving = "Starting to serve on ";

    [Test]
    public async Task Proxy_DocumentedUrls_ServeTheExactUsage()
    {
        await using var proxy = BoundedProcess.Start(Infrastructure.Kubectl.Locate(),
            ["--kubeconfig", cluster.KubectlConfig, "proxy", "--port=0", "--address=127.0.0.1"]);
        // Generous: kubectl reads its kubeconfig and opens the port in well under a second on an idle machine.
        var line = await proxy.WaitForLineAsync(l => l.StartsWith(Serving, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri("http://" + line[Serving.Length..].Trim()), Timeout = TimeSpan.FromSeconds(30) };

        foreach (var version in new[] { "v1beta1", "v1" })
        {
            using var nodes = await GetAsync(http, $"/apis/metrics.k8s.io/{version}/nodes");
            await AssertNodesAsync(nodes.RootElement, version);
        }
        using var pods = await GetAsync(http, "/apis/metrics.k8s.io/v1beta1/pods");
        var items = pods.RootElement.GetProperty("items").EnumerateArray().ToList();
        await Assert.That(items.Count).IsEqualTo(cluster.Expected.Pods.Count);
        foreach (var item in items)
            await AssertPodAsync(item);
        var one = cluster.Expected.Pods[^1];
        using var single = await GetAsync(http, $"/apis/metrics.k8s.io/v1beta1/namespaces/{one.Namespace}/pods/{one.Name}");
        await Assert.That(single.RootElement.GetProperty("kind").GetString()).IsEqualTo("PodMetrics");
        await AssertPodAsync(single.RootElement);
    }

    private async Task AssertNodesAsync(JsonElement list, string version)
    {
        await Assert.That(list.GetProperty("apiVersion").GetString()).IsEqualTo("metrics.k8s.io/" + version);
        var items = list.GetProperty("items").EnumerateArray().ToList();
        await Assert.That(items.Count).IsEqualTo(cluster.Expected.Nodes.Count);
        foreach (var item in items)
        {
            var expected = cluster.Expected.Nodes.Single(n => n.Name == item.GetProperty("metadata").GetProperty("name").GetString());
            var usage = item.GetProperty("usage");
            await Assert.That(QuantityText.NanoCores(usage.GetProperty("cpu").GetString()!)).IsBetween(expected.CpuNanoCores - 1_000_000, expected.CpuNanoCores + 1_000_000);
            await Assert.That(QuantityText.Bytes(usage.GetProperty("memory").GetString()!)).IsEqualTo(expected.MemoryBytes);
        }
    }

    private async Task AssertPodAsync(JsonElement pod)
    {
        var metadata = pod.GetProperty("metadata");
        var expected = cluster.Expected.Pods.Single(p =>
            p.Namespace == metadata.GetProperty("namespace").GetString() && p.Name == metadata.GetProperty("name").GetString());
        var containers = pod.GetProperty("containers").EnumerateArray().ToList();
        await Assert.That(containers.Count).IsEqualTo(expected.Containers.Count);
        foreach (var container in containers)
        {
            var want = expected.Containers.Single(c => c.Name == container.GetProperty("name").GetString());
            var usage = container.GetProperty("usage");
            await Assert.That(QuantityText.NanoCores(usage.GetProperty("cpu").GetString()!)).IsBetween(want.CpuNanoCores - 1_000_000, want.CpuNanoCores + 1_000_000);
            await Assert.That(QuantityText.Bytes(usage.GetProperty("memory").GetString()!)).IsEqualTo(want.MemoryBytes);
        }
    }

    private static async Task<JsonDocument> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }
}
