using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Kubectl;

/// <summary>`kubectl get --raw` on both API versions: the exact objects, selectors and error bodies.</summary>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel(ClusterLanes.Session)]
public sealed class KubectlRawTests(LocalCluster cluster)
{
    [Test]
    [Arguments("v1beta1")]
    [Arguments("v1")]
    public async Task GetRawNodes_BothVersions_ExactUsageForEveryNode(string version)
    {
        using var json = await GetJsonAsync($"/apis/metrics.k8s.io/{version}/nodes");
        var root = json.RootElement;

        await Assert.That(root.GetProperty("kind").GetString()).IsEqualTo("NodeMetricsList");
        await Assert.That(root.GetProperty("apiVersion").GetString()).IsEqualTo($"metrics.k8s.io/{version}");
        var items = root.GetProperty("items").EnumerateArray().ToList();
        await Assert.That(items.Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!).ToArray())
            .IsEquivalentTo(cluster.Expected.Nodes.Select(n => n.Name).Order(StringComparer.Ordinal).ToArray());
        foreach (var item in items)
        {
            var expected = cluster.Expected.Nodes.Single(n => n.Name == item.GetProperty("metadata").GetProperty("name").GetString());
            var usage = item.GetProperty("usage");
            await Assert.That(QuantityText.NanoCores(usage.GetProperty("cpu").GetString()!)).IsBetween(expected.CpuNanoCores - 1_000_000, expected.CpuNanoCores + 1_000_000);
            await Assert.That(QuantityText.Bytes(usage.GetProperty("memory").GetString()!)).IsEqualTo(expected.MemoryBytes);
            await Assert.That(item.TryGetProperty("kind", out _)).IsFalse();
        }
    }

    [Test]
    [Arguments("v1beta1")]
    [Arguments("v1")]
    public async Task GetRawPod_SingleObject_HasKindLabelsAndContainers(string version)
    {
        var pod = cluster.Expected.Pods[0];

        using var json = await GetJsonAsync($"/apis/metrics.k8s.io/{version}/namespaces/{pod.Namespace}/pods/{pod.Name}");
        var root = json.RootElement;

        await Assert.That(root.GetProperty("kind").GetString()).IsEqualTo("PodMetrics");
        await Assert.That(root.GetProperty("metadata").GetProperty("namespace").GetString()).IsEqualTo(pod.Namespace);
        var labels = root.GetProperty("metadata").GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        await Assert.That(labels.Count).IsEqualTo(pod.Labels.Count);
        var containers = root.GetProperty("containers").EnumerateArray().ToList();
        await Assert.That(containers.Count).IsEqualTo(pod.Containers.Count);
        foreach (var container in containers)
        {
            var expected = pod.Containers.Single(c => c.Name == container.GetProperty("name").GetString());
            await Assert.That(QuantityText.Bytes(container.GetProperty("usage").GetProperty("memory").GetString()!)).IsEqualTo(expected.MemoryBytes);
        }
    }

    [Test]
    public async Task GetRawNamespacedPods_LabelSelector_ReturnsSortedMatchingPods()
    {
        var target = cluster.Expected.Pods[0];
        var app = target.Labels["app"];

        using var json = await GetJsonAsync($"/apis/metrics.k8s.io/v1beta1/namespaces/{target.Namespace}/pods?labelSelector=app%3D{app}");

        var names = json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!).ToArray();
        var expected = cluster.Expected.Pods.Where(p => p.Namespace == target.Namespace && p.Labels.GetValueOrDefault("app") == app)
            .Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        await Assert.That(names).IsEquivalentTo(expected);
        await Assert.That(names.SequenceEqual(expected)).IsTrue();
    }

    [Test]
    public async Task GetRawUnknownNode_ReturnsNotFoundStatus()
    {
        var result = await cluster.Kubectl().RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes/no-such-node");

        await Assert.That(result.ExitCode).IsNotEqualTo(0);
        await Assert.That(result.Output).Contains("not found");
    }

    [Test]
    public async Task GetRawApiResourceList_V1beta1_ListsNodesAndPods()
    {
        using var json = await GetJsonAsync("/apis/metrics.k8s.io/v1beta1");

        await Assert.That(json.RootElement.GetProperty("kind").GetString()).IsEqualTo("APIResourceList");
        var names = json.RootElement.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray();
        await Assert.That(names).IsEquivalentTo(new[] { "nodes", "pods" });
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        var result = await cluster.Kubectl().RunAsync("get", "--raw", path);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"kubectl get --raw {path}: {result}");
        var start = result.Output.IndexOf('{');
        return JsonDocument.Parse(result.Output[start..]);
    }
}
