using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>A cluster of its own whose kubelets misbehave on purpose; it logs in component-base's JSON.</summary>
public sealed class FaultyCluster : LocalCluster
{
    protected override string FirstAddress => "127.78.0.1";

    protected override int SimulatedNodes => 8;

    protected override IEnumerable<string> ExtraServerArgs => ["--logging-format=json"];
}

/// <summary>
/// Broken kubelets (garbage, a hung connection, HTTP 500, a 64 MiB body, no resource series, reset connections)
/// drop only their own node: every other node keeps being served with exact values, the server stays up, and each
/// broken node is explained by its reason in /metrics and in a JSON log line.
/// </summary>
[ClassDataSource<FaultyCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class FaultyKubeletTests(FaultyCluster cluster)
{
    // Each simulator fault mode and the reason an operator reads for it.
    private static readonly (string Mode, string Reason)[] Faults =
    [
        ("garbage", "unparsable_body"),
        ("hang", "timeout"),
        ("error500", "http_status"),
        ("huge", "too_large"),
        ("no-series", "no_series"),
        ("refuse", "refused"),
    ];

    [Test]
    public async Task BrokenKubelets_OtherNodesKeepBeingServed_BrokenNodesDisappearWithTheirReason()
    {
        var nodes = cluster.Expected.Nodes;
        for (var i = 0; i < Faults.Length; i++)
            await cluster.SetKubeletModeAsync(nodes[i].Name, Faults[i].Mode);
        var healthy = nodes.Skip(Faults.Length).ToList();

        // Two resolutions: the next cycle drops the broken nodes whatever phase the loop is in.
        var served = await WaitForNodeSetAsync(healthy.Select(n => n.Name).ToHashSet(), TimeSpan.FromSeconds(60));

        await Assert.That(served.Keys.Order(StringComparer.Ordinal).ToArray()).IsEquivalentTo(healthy.Select(n => n.Name).Order(StringComparer.Ordinal).ToArray());
        foreach (var node in healthy)
            await Assert.That(served[node.Name]).IsEqualTo(node.MemoryBytes);
        var missing = await cluster.Kubectl().RunAsync("get", "--raw", $"/apis/metrics.k8s.io/v1beta1/nodes/{nodes[0].Name}");
        await Assert.That(missing.Output).Contains($"nodemetrics.metrics.k8s.io \"{nodes[0].Name}\" not found");
        await Assert.That(cluster.Server.HasExited).IsFalse();

        var failures = ScrapeFailureSeries(await cluster.SelfMetricsAsync());
        var logged = LoggedReasons(cluster.Server.Output);
        for (var i = 0; i < Faults.Length; i++)
        {
            await Assert.That(failures.GetValueOrDefault(nodes[i].Name)).IsEqualTo(Faults[i].Reason).Because($"{Faults[i].Mode} on {nodes[i].Name}");
            await Assert.That(logged.GetValueOrDefault(nodes[i].Name)).IsEqualTo(Faults[i].Reason).Because($"{Faults[i].Mode} on {nodes[i].Name}");
        }
        foreach (var node in healthy)
            await Assert.That(failures.ContainsKey(node.Name)).IsFalse();

        for (var i = 0; i < Faults.Length; i++)
            await cluster.SetKubeletModeAsync(nodes[i].Name, "normal");
        var recovered = await WaitForNodeSetAsync(nodes.Select(n => n.Name).ToHashSet(), TimeSpan.FromSeconds(60));
        await Assert.That(recovered.Count).IsEqualTo(nodes.Count);
        await Assert.That(ScrapeFailureSeries(await cluster.SelfMetricsAsync())).IsEmpty();
    }

    // metrics_server_kubelet_scrape_failure{node,reason} 1 → node → reason.
    private static Dictionary<string, string> ScrapeFailureSeries(string metrics)
    {
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in metrics.Split('\n'))
        {
            if (!line.StartsWith("metrics_server_kubelet_scrape_failure{", StringComparison.Ordinal) || !line.EndsWith(" 1", StringComparison.Ordinal))
                continue;
            failures[LabelValue(line, "node")] = LabelValue(line, "reason");
        }
        return failures;
    }

    private static string LabelValue(string line, string label)
    {
        var start = line.IndexOf(label + "=\"", StringComparison.Ordinal) + label.Length + 2;
        return line[start..line.IndexOf('"', start)];
    }

    // Every line tinymetrics wrote is one JSON object with klog's keys; the scrape failures name node and reason.
    private static Dictionary<string, string> LoggedReasons(string output)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            if (!root.TryGetProperty("ts", out var ts) || ts.ValueKind != JsonValueKind.Number
                || !root.TryGetProperty("caller", out var caller) || !caller.GetString()!.Contains(".go:", StringComparison.Ordinal)
                || !root.TryGetProperty("msg", out var msg))
                throw new InvalidDataException("not a component-base JSON log line: " + line);
            if (!msg.GetString()!.StartsWith("Failed to scrape node", StringComparison.Ordinal))
                continue;
            if (!root.TryGetProperty("err", out _) || root.TryGetProperty("v", out _))
                throw new InvalidDataException("a scrape failure is an error entry, with err and without v: " + line);
            reasons[root.GetProperty("node").GetProperty("name").GetString()!] = root.GetProperty("reason").GetString()!;
        }
        return reasons;
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
