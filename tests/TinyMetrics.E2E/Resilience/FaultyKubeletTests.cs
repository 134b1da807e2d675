using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>A cluster of its own whose kubelets misbehave on purpose.</summary>
public sealed class FaultyCluster : LocalCluster
{
    protected override string FirstAddress => "127.78.0.1";
}

/// <summary>
/// Broken kubelets (garbage, a hung connection, HTTP 500, a 50 MB body) drop only their own node:
/// every other node keeps being served with exact values, and the server stays up.
/// </summary>
[ClassDataSource<FaultyCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class FaultyKubeletTests(FaultyCluster cluster)
{
    [Test]
    public async Task BrokenKubelets_OtherNodesKeepBeingServed_BrokenNodesDisappear()
    {
        var nodes = cluster.Expected.Nodes;
        string[] modes = ["garbage", "hang", "error500", "huge"];
        for (var i = 0; i < modes.Length; i++)
            await cluster.SetKubeletModeAsync(nodes[i].Name, modes[i]);
        var broken = nodes.Take(modes.Length).Select(n => n.Name).ToHashSet();
        var healthy = nodes.Skip(modes.Length).ToList();

        // Two resolutions: the next cycle drops the broken nodes whatever phase the loop is in.
        var served = await WaitForNodeSetAsync(healthy.Select(n => n.Name).ToHashSet(), TimeSpan.FromSeconds(60));

        await Assert.That(served.Keys.Order(StringComparer.Ordinal).ToArray()).IsEquivalentTo(healthy.Select(n => n.Name).Order(StringComparer.Ordinal).ToArray());
        foreach (var node in healthy)
            await Assert.That(served[node.Name]).IsEqualTo(node.MemoryBytes);
        var missing = await cluster.Kubectl().RunAsync("get", "--raw", $"/apis/metrics.k8s.io/v1beta1/nodes/{nodes[0].Name}");
        await Assert.That(missing.Output).Contains($"nodemetrics.metrics.k8s.io \"{nodes[0].Name}\" not found");
        await Assert.That(cluster.Server.HasExited).IsFalse();
        await Assert.That(broken.Count).IsEqualTo(modes.Length);

        for (var i = 0; i < modes.Length; i++)
            await cluster.SetKubeletModeAsync(nodes[i].Name, "normal");
        var recovered = await WaitForNodeSetAsync(nodes.Select(n => n.Name).ToHashSet(), TimeSpan.FromSeconds(60));
        await Assert.That(recovered.Count).IsEqualTo(nodes.Count);
    }

    // Polls the node list until exactly the wanted names are served; returns name → memory bytes.
    private async Task<Dictionary<string, long>> WaitForNodeSetAsync(HashSet<string> wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Dictionary<string, long> served = [];
        while (DateTime.UtcNow < deadline)
        {
            var result = await cluster.Kubectl().RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes");
            if (result.ExitCode == 0)
            {
                using var json = JsonDocument.Parse(result.Output[result.Output.IndexOf('{')..]);
                served = json.RootElement.GetProperty("items").EnumerateArray().ToDictionary(
                    i => i.GetProperty("metadata").GetProperty("name").GetString()!,
                    i => QuantityText.Bytes(i.GetProperty("usage").GetProperty("memory").GetString()!));
                if (served.Keys.ToHashSet().SetEquals(wanted))
                    return served;
            }
            await Task.Delay(1000);
        }
        return served;
    }
}
