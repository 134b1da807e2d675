using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Kubectl;

/// <summary>
/// The Table form at the endpoint, as `kubectl get nodes.metrics.k8s.io` asks for it through the
/// aggregator, and `?pretty=true` as `kubectl get --raw` passes it: the real kubectl prints the server's
/// columns with the simulator's exact values.
/// </summary>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel(ClusterLanes.Session)]
public sealed class KubectlTableTests(LocalCluster cluster)
{
    // Rates may move by one CPU sample between the expected file and the served window.
    private const long CpuSlackNanoCores = 1_000_000;

    [Test]
    public async Task GetNodeMetrics_Table_ServerColumnsWithExactValues()
    {
        var result = await cluster.Kubectl().RunAsync("get", "nodes.metrics.k8s.io");
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var table = TopTable.Parse(result.Output);

        await Assert.That(result.Output).Contains("NAME").And.Contains("CPU").And.Contains("MEMORY").And.Contains("WINDOW");
        await Assert.That(table.Rows.Select(r => table.Cell(r, "NAME")).ToArray())
            .IsEquivalentTo(cluster.Expected.Nodes.Select(n => n.Name).ToArray());
        foreach (var row in table.Rows)
        {
            var expected = cluster.Expected.Nodes.Single(n => n.Name == table.Cell(row, "NAME"));
            await Assert.That(QuantityText.Bytes(table.Cell(row, "MEMORY"))).IsEqualTo(expected.MemoryBytes);
            await Assert.That(QuantityText.NanoCores(table.Cell(row, "CPU")))
                .IsBetween(expected.CpuNanoCores - CpuSlackNanoCores, expected.CpuNanoCores + CpuSlackNanoCores);
            await Assert.That(table.Cell(row, "WINDOW")).Matches("^[0-9.]+(ms|s)$");
        }
    }

    [Test]
    public async Task GetPodMetrics_AllNamespacesTable_RowsSumTheirContainers()
    {
        var result = await cluster.Kubectl().RunAsync("get", "pods.metrics.k8s.io", "--all-namespaces");
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var table = TopTable.Parse(result.Output);

        await Assert.That(table.Rows.Count).IsEqualTo(cluster.Expected.Pods.Count);
        foreach (var row in table.Rows)
        {
            var expected = cluster.Expected.Pods.Single(p => p.Namespace == table.Cell(row, "NAMESPACE") && p.Name == table.Cell(row, "NAME"));
            await Assert.That(QuantityText.Bytes(table.Cell(row, "MEMORY"))).IsEqualTo(expected.MemoryBytes);
            await Assert.That(QuantityText.NanoCores(table.Cell(row, "CPU")))
                .IsBetween(expected.CpuNanoCores - (CpuSlackNanoCores * expected.Containers.Count), expected.CpuNanoCores + (CpuSlackNanoCores * expected.Containers.Count));
        }
    }

    [Test]
    [Arguments("/apis/metrics.k8s.io/v1beta1/nodes?pretty=true", "NodeMetricsList")]
    [Arguments("/apis/metrics.k8s.io/v1/pods?pretty=true", "PodMetricsList")]
    public async Task GetRaw_Pretty_IndentedLikeGoWithTheSameItems(string path, string kind)
    {
        var result = await cluster.Kubectl().RunAsync("get", "--raw", path);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        var body = result.Output[result.Output.IndexOf('{')..];

        // encoding/json's Indent with two spaces, as the apiserver's pretty printer writes it.
        await Assert.That(body).StartsWith($"{{\n  \"kind\": \"{kind}\",\n  \"apiVersion\": \"metrics.k8s.io/");
        await Assert.That(body).Contains("\n  \"metadata\": {},\n  \"items\": [\n    {\n      \"metadata\": {\n        \"name\": ");
        using var json = JsonDocument.Parse(body);
        var names = json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!).ToArray();
        var expected = kind == "NodeMetricsList" ? cluster.Expected.Nodes.Select(n => n.Name) : cluster.Expected.Pods.Select(p => p.Name);
        await Assert.That(names).IsEquivalentTo(expected.ToArray());
    }
}
