namespace TinyMetrics.E2E.Infrastructure;

/// <summary>
/// The real kubectl's <c>top nodes</c> and <c>top pods -A</c> against a cluster's expected.json: every row present,
/// CPU within 1m, memory exact to the Mi.
/// </summary>
public static class TopExpectations
{
    /// <param name="version">A versioned kubectl (see <see cref="Kubectl.Locate"/>), or null for the one on PATH.</param>
    public static async Task NodesMatchAsync(LocalCluster cluster, string? version = null)
    {
        var result = await cluster.Kubectl(version).RunAsync("top", "nodes");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        var table = TopTable.Parse(result.Output);
        await Assert.That(table.Rows.Count).IsEqualTo(cluster.Expected.Nodes.Count).Because(result.Output);
        foreach (var node in cluster.Expected.Nodes)
        {
            var row = table.Rows.Single(r => r[0] == node.Name);
            await Assert.That(TopTable.Millicores(table.Cell(row, "CPU(cores)"))).IsBetween(node.CpuMillis - 1, node.CpuMillis + 1).Because(node.Name);
            await Assert.That(TopTable.Mebibytes(table.Cell(row, "MEMORY(bytes)"))).IsEqualTo(node.MemoryMi).Because(node.Name);
        }
    }

    public static async Task PodsMatchAsync(LocalCluster cluster, string? version = null)
    {
        var result = await cluster.Kubectl(version).RunAsync("top", "pods", "-A");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        var table = TopTable.Parse(result.Output);
        await Assert.That(table.Rows.Count).IsEqualTo(cluster.Expected.Pods.Count).Because(result.Output);
        foreach (var pod in cluster.Expected.Pods)
        {
            var row = table.Rows.Single(r => r[0] == pod.Namespace && r[1] == pod.Name);
            var expected = new ExpectedNode(pod.Name, pod.CpuNanoCores, pod.MemoryBytes);
            await Assert.That(TopTable.Millicores(table.Cell(row, "CPU(cores)"))).IsBetween(expected.CpuMillis - 1, expected.CpuMillis + 1).Because(pod.Name);
            await Assert.That(TopTable.Mebibytes(table.Cell(row, "MEMORY(bytes)"))).IsEqualTo(expected.MemoryMi).Because(pod.Name);
        }
    }
}
