using System.Text.Json;

namespace TinyMetrics.E2E.Infrastructure;

/// <summary>
/// The metrics API's <c>swap</c> usage against a cluster's expected.json, through kubectl's raw GET: every node and
/// container has the key with the simulator's exact bytes where its kubelet reported swap, and no key (never a made-up
/// zero) where the kubelet writes no swap.
/// </summary>
public static class SwapExpectations
{
    public static async Task MetricsApiMatchesAsync(LocalCluster cluster, string version)
    {
        var expected = cluster.Expected;
        using var nodes = await GetAsync(cluster, $"/apis/metrics.k8s.io/{version}/nodes");
        var seenNodes = 0;
        foreach (var item in nodes.RootElement.GetProperty("items").EnumerateArray())
        {
            var node = expected.Nodes.Single(n => n.Name == item.GetProperty("metadata").GetProperty("name").GetString());
            await AssertSwapAsync(item.GetProperty("usage"), node.SwapBytes, node.Name);
            seenNodes++;
        }
        await Assert.That(seenNodes).IsEqualTo(expected.Nodes.Count);

        using var pods = await GetAsync(cluster, $"/apis/metrics.k8s.io/{version}/pods");
        var seenContainers = 0;
        foreach (var item in pods.RootElement.GetProperty("items").EnumerateArray())
        {
            var metadata = item.GetProperty("metadata");
            var pod = expected.Pods.Single(p => p.Namespace == metadata.GetProperty("namespace").GetString() && p.Name == metadata.GetProperty("name").GetString());
            foreach (var c in item.GetProperty("containers").EnumerateArray())
            {
                var container = pod.Containers.Single(x => x.Name == c.GetProperty("name").GetString());
                await AssertSwapAsync(c.GetProperty("usage"), container.SwapBytes, $"{pod.Name}/{container.Name}");
                seenContainers++;
            }
        }
        await Assert.That(seenContainers).IsEqualTo(expected.Pods.Sum(p => p.Containers.Count));
    }

    private static async Task AssertSwapAsync(JsonElement usage, long? expected, string what)
    {
        if (expected is { } bytes)
            await Assert.That(usage.TryGetProperty("swap", out var swap) ? QuantityText.Bytes(swap.GetString()!) : -1).IsEqualTo(bytes).Because(what);
        else
            await Assert.That(usage.TryGetProperty("swap", out _)).IsFalse().Because(what + " has a kubelet without swap: no made-up zero");
    }

    private static async Task<JsonDocument> GetAsync(LocalCluster cluster, string path)
    {
        var result = await cluster.Kubectl().RunAsync("get", "--raw", path);
        if (result.ExitCode != 0)
            throw new InvalidOperationException(result.ToString());
        return JsonDocument.Parse(result.Output);
    }
}
