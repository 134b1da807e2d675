using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Kubectl;

/// <summary>
/// kubectl 1.35's <c>top --show-swap</c> against the simulator's exact swap (expected.json). The shared cluster's
/// every fourth node runs an older kubelet without swap families and every other modern node has no swap capacity:
/// kubectl prints <c>&lt;unknown&gt;</c> for a node without <c>status.nodeInfo.swap.capacity</c> and 0Mi for a pod whose
/// containers carry no swap key, so the raw API is checked too: the key is there exactly where the kubelet reported swap.
/// </summary>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel(ClusterLanes.Session)]
public sealed class KubectlSwapTests(LocalCluster cluster)
{
    private const string Version = "1.35";
    private const long Mi = 1024 * 1024;

    [Test]
    public async Task TopNodeShowSwap_EveryNode_SwapColumnsMatchSimulator()
    {
        var result = await cluster.Kubectl(Version).RunAsync("top", "node", "--show-swap");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        var table = TopTable.Parse(result.Output);
        await Assert.That(table.Rows.Count).IsEqualTo(cluster.Expected.Nodes.Count).Because(result.Output);
        foreach (var node in cluster.Expected.Nodes)
        {
            var row = table.Rows.Single(r => r[0] == node.Name);
            if (node.SwapCapacityBytes is { } capacity)
            {
                var swap = node.SwapBytes ?? 0;
                await Assert.That(TopTable.Mebibytes(table.Cell(row, "SWAP(bytes)"))).IsEqualTo(swap / Mi).Because(node.Name);
                await Assert.That(table.Cell(row, "SWAP(%)")).IsEqualTo($"{Percent(swap, capacity)}%").Because(node.Name);
            }
            else
            {
                await Assert.That(table.Cell(row, "SWAP(bytes)")).IsEqualTo("<unknown>").Because(node.Name);
                await Assert.That(table.Cell(row, "SWAP(%)")).IsEqualTo("<unknown>").Because(node.Name);
            }
        }
        await Assert.That(table.Rows.Any(r => r[^2] is not ("<unknown>" or "0Mi"))).IsTrue().Because(result.Output);
        await Assert.That(table.Rows.Any(r => r[^2] == "<unknown>")).IsTrue().Because(result.Output);
    }

    [Test]
    public async Task TopPodShowSwap_EveryPod_SwapColumnIsItsContainersSum()
    {
        var result = await cluster.Kubectl(Version).RunAsync("top", "pod", "-A", "--show-swap");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        var table = TopTable.Parse(result.Output);
        await Assert.That(table.Rows.Count).IsEqualTo(cluster.Expected.Pods.Count).Because(result.Output);
        foreach (var pod in cluster.Expected.Pods)
        {
            var row = table.Rows.Single(r => r[0] == pod.Namespace && r[1] == pod.Name);
            // kubectl adds the containers' swap quantities; a container without the key adds nothing.
            var swap = pod.Containers.Sum(c => c.SwapBytes ?? 0);
            await Assert.That(TopTable.Mebibytes(table.Cell(row, "SWAP(bytes)"))).IsEqualTo(swap / Mi).Because(pod.Name);
        }
        await Assert.That(table.Rows.Any(r => r[^1] != "0Mi")).IsTrue().Because(result.Output);
    }

    [Test]
    public async Task TopPodContainersShowSwap_EveryContainer_SwapColumnMatchesSimulator()
    {
        var result = await cluster.Kubectl(Version).RunAsync("top", "pod", "-A", "--containers", "--show-swap");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        var table = TopTable.Parse(result.Output);
        await Assert.That(table.Rows.Count).IsEqualTo(cluster.Expected.Pods.Sum(p => p.Containers.Count)).Because(result.Output);
        foreach (var pod in cluster.Expected.Pods)
        {
            foreach (var container in pod.Containers)
            {
                var row = table.Rows.Single(r => r[0] == pod.Namespace && r[1] == pod.Name && r[2] == container.Name);
                await Assert.That(TopTable.Mebibytes(table.Cell(row, "SWAP(bytes)"))).IsEqualTo((container.SwapBytes ?? 0) / Mi)
                    .Because($"{pod.Name}/{container.Name}");
            }
        }
    }

    [Test]
    [Arguments("v1beta1")]
    [Arguments("v1")]
    public async Task MetricsApi_SwapKeyExactlyWhereTheKubeletReportsIt(string version)
    {
        var expected = cluster.Expected;
        await Assert.That(expected.Nodes.Any(n => n.SwapBytes is null)).IsTrue().Because("the shared cluster has an older kubelet");
        await Assert.That(expected.Nodes.Any(n => n.SwapBytes > 0)).IsTrue().Because("the shared cluster has nodes with swap in use");

        await SwapExpectations.MetricsApiMatchesAsync(cluster, version);
    }

    // kubectl's SWAP(%): int64(float64(usage.MilliValue()) / float64(capacity.MilliValue()) * 100).
    private static long Percent(long swapBytes, long capacityBytes) => (long)((double)(swapBytes * 1000) / (capacityBytes * 1000) * 100);
}
