using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>A cluster of its own for the data and transport faults of kubelets; it logs in component-base's JSON.</summary>
public sealed class KubeletFaultModesCluster : LocalCluster
{
    protected override string FirstAddress => "127.96.0.1";

    protected override int SimulatedNodes => 13;

    protected override IEnumerable<string> ExtraServerArgs => ["--logging-format=json"];
}

/// <summary>
/// Each kubelet fault mode on one node while every other node stays exact: duplicated series (last wins, exact),
/// missing timestamps (request time, sane), timestamps or counters going backwards (no rate, not served), absurd
/// values (dropped), bad certificates, a body cut mid-way and an HTML page (the node fails with its reason).
/// Nothing served is negative or absurd, and every cause is in /metrics or in a log line.
/// </summary>
[ClassDataSource<KubeletFaultModesCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class KubeletFaultModesTests(KubeletFaultModesCluster cluster)
{
    // Node index → mode; what each mode's node must look like is asserted below.
    private static readonly string[] Modes =
    [
        "duplicate-series", "no-timestamps", "backwards-timestamps", "counter-backwards", "huge-values",
        "expired-cert", "wrong-host-cert", "wrong-ca-cert", "close-mid-body", "html",
    ];

    // Modes whose node fails the scrape, and the reason /metrics and the log give.
    private static readonly Dictionary<string, string> FailureReasons = new(StringComparer.Ordinal)
    {
        ["expired-cert"] = "tls_verification",
        ["wrong-host-cert"] = "tls_verification",
        ["wrong-ca-cert"] = "tls_verification",
        // Status and headers arrive, then the connection ends short of the declared Content-Length.
        ["close-mid-body"] = "truncated_body",
        ["html"] = "unparsable_body",
    };

    // Modes whose node is never served, each with the log message that says why.
    private static readonly Dictionary<string, string> DroppedWithLog = new(StringComparer.Ordinal)
    {
        ["backwards-timestamps"] = "Dropped kubelet points not newer than the stored ones",
        ["counter-backwards"] = "Skipping node usage metric",
        ["huge-values"] = "Dropped invalid kubelet samples",
    };

    [Test]
    public async Task EachFaultOnOneNode_OthersExact_FaultyNodeAbsentOrSane_CauseSaid()
    {
        var nodes = cluster.Expected.Nodes;
        for (var i = 0; i < Modes.Length; i++)
            await cluster.SetKubeletModeAsync(nodes[i].Name, Modes[i]);
        var servedNodes = new HashSet<string>(nodes.Skip(Modes.Length).Select(n => n.Name), StringComparer.Ordinal) { nodes[0].Name, nodes[1].Name };

        // Backwards modes need two cycles after the switch, certificate faults one reconnect: wait for the set and the logs.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        (Dictionary<string, JsonElement> Nodes, Dictionary<string, JsonElement> Pods) view = ([], []);
        while (DateTime.UtcNow < deadline)
        {
            view = await ReadViewAsync();
            if (view.Nodes.Keys.ToHashSet().SetEquals(servedNodes) && AllCausesSaid(nodes))
                break;
            await Task.Delay(1000);
        }
        await Assert.That(view.Nodes.Keys.Order(StringComparer.Ordinal).ToArray()).IsEquivalentTo(servedNodes.Order(StringComparer.Ordinal).ToArray());

        foreach (var (name, item) in view.Nodes)
        {
            var expected = nodes.Single(n => n.Name == name);
            var (cpu, memory) = Usage(item);
            await Assert.That(memory).IsEqualTo(expected.MemoryBytes).Because(name);
            // Without timestamps the window is the request times, a few ms off the kubelet's: sane, not exact.
            var tolerance = name == nodes[1].Name ? 5_000_000 + (expected.CpuNanoCores / 20) : 1_000_000;
            await Assert.That(Math.Abs(cpu - expected.CpuNanoCores)).IsLessThanOrEqualTo(tolerance).Because(name);
        }

        var faultyNodes = nodes.Take(Modes.Length).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var hugeValuesPodsServed = 0;
        foreach (var pod in cluster.Expected.Pods)
        {
            var key = pod.Namespace + "/" + pod.Name;
            var mode = faultyNodes.Contains(pod.NodeName) ? Modes[IndexOf(nodes, pod.NodeName)] : "normal";
            view.Pods.TryGetValue(key, out var item);
            var present = item.ValueKind == JsonValueKind.Object;
            if (mode is "normal" or "duplicate-series" or "no-timestamps")
            {
                await Assert.That(present).IsTrue().Because($"{key} on {mode}");
                await AssertPodAsync(item, pod, mode == "no-timestamps");
            }
            else if (mode == "huge-values")
            {
                if (present)
                {
                    hugeValuesPodsServed++;
                    await AssertPodAsync(item, pod, approximate: false);
                }
            }
            else if (mode == "counter-backwards")
            {
                // As upstream: a pod whose containers have no valid rate is listed without containers, if at all.
                if (present)
                    await Assert.That(item.GetProperty("containers").GetArrayLength()).IsEqualTo(0).Because(key);
            }
            else
            {
                await Assert.That(present).IsFalse().Because($"{key} on {mode}");
            }
        }
        var hugeValuesPods = cluster.Expected.Pods.Count(p => p.NodeName == nodes[4].Name);
        await Assert.That(hugeValuesPodsServed).IsLessThan(hugeValuesPods);
        await Assert.That(hugeValuesPodsServed).IsGreaterThan(0).Because("the pods without an absurd value stay served");

        var failures = ScrapeFailures(await cluster.SelfMetricsAsync());
        var logged = LoggedFailureReasons(cluster.Server.Output);
        for (var i = 0; i < Modes.Length; i++)
        {
            if (FailureReasons.TryGetValue(Modes[i], out var reason))
            {
                await Assert.That(failures.GetValueOrDefault(nodes[i].Name)).IsEqualTo(reason).Because(Modes[i]);
                await Assert.That(logged.GetValueOrDefault(nodes[i].Name)).IsEqualTo(reason).Because(Modes[i]);
            }
            else
            {
                await Assert.That(failures.ContainsKey(nodes[i].Name)).IsFalse().Because(Modes[i]);
            }
            if (DroppedWithLog.TryGetValue(Modes[i], out var message))
                await Assert.That(HasLine(cluster.Server.Output, message, nodes[i].Name)).IsTrue().Because(Modes[i]);
        }
        await Assert.That(cluster.Server.HasExited).IsFalse();
    }

    private bool AllCausesSaid(IReadOnlyList<ExpectedNode> nodes)
    {
        var output = cluster.Server.Output;
        var logged = LoggedFailureReasons(output);
        for (var i = 0; i < Modes.Length; i++)
        {
            if (FailureReasons.TryGetValue(Modes[i], out var reason) && logged.GetValueOrDefault(nodes[i].Name) != reason)
                return false;
            if (DroppedWithLog.TryGetValue(Modes[i], out var message) && !HasLine(output, message, nodes[i].Name))
                return false;
        }
        return true;
    }

    private static async Task AssertPodAsync(JsonElement item, ExpectedPod pod, bool approximate)
    {
        var containers = item.GetProperty("containers").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, Usage);
        await Assert.That(containers.Count).IsEqualTo(pod.Containers.Count).Because(pod.Name);
        foreach (var expected in pod.Containers)
        {
            var (cpu, memory) = containers[expected.Name];
            await Assert.That(memory).IsEqualTo(expected.MemoryBytes).Because($"{pod.Name}/{expected.Name}");
            var tolerance = approximate ? 5_000_000 + (expected.CpuNanoCores / 20) : 1_000_000;
            await Assert.That(Math.Abs(cpu - expected.CpuNanoCores)).IsLessThanOrEqualTo(tolerance).Because($"{pod.Name}/{expected.Name}");
        }
    }

    // Every served usage is sane: no negative, no NaN/Inf (they would not parse), nothing near 1e300.
    private static (long Cpu, long Memory) Usage(JsonElement item)
    {
        var usage = item.GetProperty("usage");
        var cpu = QuantityText.Parse(usage.GetProperty("cpu").GetString()!);
        var memory = QuantityText.Parse(usage.GetProperty("memory").GetString()!);
        if (cpu < 0 || cpu > 1024 || memory < 0 || memory > 1L << 42)
            throw new InvalidDataException($"absurd usage served: cpu={cpu} memory={memory}");
        return ((long)(cpu * 1_000_000_000m), (long)memory);
    }

    private async Task<(Dictionary<string, JsonElement> Nodes, Dictionary<string, JsonElement> Pods)> ReadViewAsync()
    {
        var kubectl = cluster.Kubectl();
        var nodes = await kubectl.RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes");
        var pods = await kubectl.RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods");
        if (nodes.ExitCode != 0 || pods.ExitCode != 0)
            return ([], []);
        return (Items(nodes.Output, i => i.GetProperty("metadata").GetProperty("name").GetString()!),
            Items(pods.Output, i => i.GetProperty("metadata").GetProperty("namespace").GetString() + "/" + i.GetProperty("metadata").GetProperty("name").GetString()));
    }

    private static Dictionary<string, JsonElement> Items(string output, Func<JsonElement, string> key)
    {
        using var json = JsonDocument.Parse(output[output.IndexOf('{')..]);
        return json.RootElement.GetProperty("items").EnumerateArray().ToDictionary(key, i => i.Clone());
    }

    private static int IndexOf(IReadOnlyList<ExpectedNode> nodes, string name)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Name == name)
                return i;
        }
        return -1;
    }

    // metrics_server_kubelet_scrape_failure{node,reason} 1 → node → reason.
    private static Dictionary<string, string> ScrapeFailures(string metrics)
    {
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith("metrics_server_kubelet_scrape_failure{", StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal))
                failures[LabelValue(line, "node")] = LabelValue(line, "reason");
        }
        return failures;
    }

    private static string LabelValue(string line, string label)
    {
        var start = line.IndexOf(label + "=\"", StringComparison.Ordinal) + label.Length + 2;
        return line[start..line.IndexOf('"', start)];
    }

    private static Dictionary<string, string> LoggedFailureReasons(string output)
    {
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in JsonLines(output))
        {
            if (root.TryGetProperty("msg", out var msg) && msg.GetString()!.StartsWith("Failed to scrape node", StringComparison.Ordinal))
                reasons[root.GetProperty("node").GetProperty("name").GetString()!] = root.GetProperty("reason").GetString()!;
        }
        return reasons;
    }

    private static bool HasLine(string output, string message, string node)
    {
        foreach (var root in JsonLines(output))
        {
            if (root.TryGetProperty("msg", out var msg) && msg.GetString() == message && root.GetRawText().Contains('"' + node + '"', StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static IEnumerable<JsonElement> JsonLines(string output)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith('{'))
                continue;
            JsonElement root;
            try
            {
                using var entry = JsonDocument.Parse(line);
                root = entry.RootElement.Clone();
            }
            catch (JsonException)
            {
                continue;   // a line still being written
            }
            yield return root;
        }
    }
}
