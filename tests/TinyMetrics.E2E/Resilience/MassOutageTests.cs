using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>
/// 300 nodes at a 10 s resolution and a 5 s kubelet timeout: 180 kubelets accept TLS and never answer, 30 refuse
/// connections (nothing listens), 90 are healthy. The proportions of the 1,000-node outage that dropped a third of
/// the healthy nodes when a fixed worker pool queued them behind the hung ones.
/// </summary>
public sealed class MassOutageCluster : LocalCluster
{
    public const int Nodes = 300;
    public const int Hung = 180;
    public const int Refused = 30;
    public const int Healthy = Nodes - Hung - Refused;

    protected override string FirstAddress => "127.91.0.1";

    protected override int SimulatedNodes => Nodes;

    protected override int SimulatedPodsPerNode => 2;

    protected override int ServedNodesWhenUp => Healthy;

    // Node indices are name order, so the faulty kubelets are the first 210 names.
    protected override IEnumerable<string> ExtraSimulatorArgs => [$"--kubelet-faults=hang:0:{Hung},refuse:{Hung}:{Refused}"];
}

/// <summary>
/// Every healthy node and every pod on one is served with the simulator's values in every poll across four cycles,
/// none of the faulty ones ever is, and no cycle takes longer than the resolution.
/// </summary>
[ClassDataSource<MassOutageCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class MassOutageTests(MassOutageCluster cluster)
{
    // The served CPU rate comes from millisecond kubelet timestamps and Go-formatted counters, as in the other raw tests.
    private const long CpuTolerance = 1_000_000;
    private static readonly TimeSpan Observed = TimeSpan.FromSeconds(40);

    [Test]
    public async Task HungAndRefusedKubelets_EveryHealthyNodeAndPodServedExactly_NoCycleOverruns()
    {
        var healthy = cluster.Expected.Nodes.Skip(MassOutageCluster.Hung + MassOutageCluster.Refused).ToDictionary(n => n.Name);
        var healthyPods = cluster.Expected.Pods.Where(p => healthy.ContainsKey(p.NodeName)).ToDictionary(p => p.Namespace + "/" + p.Name);
        var faulty = cluster.Expected.Nodes.Take(MassOutageCluster.Hung + MassOutageCluster.Refused).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        // The cluster is up (every healthy node served): what the log holds so far is start-up.
        var startUpLength = cluster.Server.Output.Length;
        var ticksBefore = TickCounts(await cluster.SelfMetricsAsync());
        var polls = 0;
        var until = DateTime.UtcNow + Observed;
        while (DateTime.UtcNow < until)
        {
            await CheckNodesAsync(healthy);
            await CheckPodsAsync(healthyPods);
            polls++;
            await Task.Delay(1000);
        }
        var ticksAfter = TickCounts(await cluster.SelfMetricsAsync());

        await Assert.That(polls).IsGreaterThanOrEqualTo(4);
        // 40 s at 10 s: at least three cycles ended, each within the resolution (the le="10" bucket holds every one).
        await Assert.That(ticksAfter.Count - ticksBefore.Count).IsGreaterThanOrEqualTo(3);
        await Assert.That(ticksAfter.WithinResolution).IsEqualTo(ticksAfter.Count);
        await Assert.That(cluster.Server.HasExited).IsFalse();
        await CheckLogAsync(cluster.Server.Output, startUpLength, faulty, ticksAfter.Count);
    }

    // klog's text header: level, MMDD, time to the microsecond, pid right-aligned in 7 columns, file.go:line, "] ".
    private static readonly Regex KlogHeader = new(@"^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d{6} [ \d]{6}\d [\w.-]+\.go:\d+\] ", RegexOptions.CultureInvariant);
    private static readonly Regex NodeKey = new(" node=\"([^\"]+)\"", RegexOptions.CultureInvariant);

    // 210 failing kubelets and no flood: every line is klog's, each faulty node has at most one failure line per
    // cycle (plus one for a cycle still running and one for the start-up's quick second scrape), every faulty node
    // is named, no healthy node once the cluster is up, and each cycle with failures has a summary. (A loaded box
    // can time out healthy kubelets in the first cycle's handshake storm, before the cluster is up: see RELIABILITY.)
    private static async Task CheckLogAsync(string output, int startUpLength, HashSet<string> faulty, long cyclesEnded)
    {
        var perNode = new Dictionary<string, int>(StringComparer.Ordinal);
        var healthyFailedWhileUp = new List<string>();
        var summaries = 0;
        var offset = 0;
        foreach (var line in output.Split('\n'))
        {
            var whileUp = offset >= startUpLength;
            offset += line.Length + 1;
            if (line.Length == 0)
                continue;
            // A multi-line value continues on tab-indented lines and closes with " >".
            if (line.StartsWith('\t') || line == " >")
                continue;
            await Assert.That(KlogHeader.IsMatch(line)).IsTrue().Because("not a klog line: " + line);
            if (line.Contains("] \"Failed to scrape node", StringComparison.Ordinal) && NodeKey.Match(line) is { Success: true } node)
            {
                var name = node.Groups[1].Value;
                if (faulty.Contains(name))
                    perNode[name] = perNode.GetValueOrDefault(name) + 1;
                else if (whileUp)
                    healthyFailedWhileUp.Add(line);
            }
            else if (line.Contains("] \"Scrape cycle finished\"", StringComparison.Ordinal) && line.Contains("failedCount=", StringComparison.Ordinal))
                summaries++;
        }
        await Assert.That(perNode.Count).IsEqualTo(faulty.Count);
        await Assert.That(healthyFailedWhileUp).IsEmpty();
        await Assert.That(perNode.Values.Max()).IsLessThanOrEqualTo((int)cyclesEnded + 2);
        await Assert.That(summaries).IsGreaterThanOrEqualTo((int)cyclesEnded - 1);
    }

    private async Task CheckNodesAsync(Dictionary<string, ExpectedNode> healthy)
    {
        using var json = await GetAsync("/apis/metrics.k8s.io/v1beta1/nodes");
        var items = json.RootElement.GetProperty("items");
        var served = new HashSet<string>();
        foreach (var item in items.EnumerateArray())
        {
            var name = item.GetProperty("metadata").GetProperty("name").GetString()!;
            var usage = item.GetProperty("usage");
            await Assert.That(healthy.TryGetValue(name, out var expected)).IsTrue().Because($"{name} is a faulty node");
            await Assert.That(QuantityText.Bytes(usage.GetProperty("memory").GetString()!)).IsEqualTo(expected!.MemoryBytes);
            await Assert.That(QuantityText.NanoCores(usage.GetProperty("cpu").GetString()!))
                .IsBetween(expected.CpuNanoCores - CpuTolerance, expected.CpuNanoCores + CpuTolerance);
            served.Add(name);
        }
        await Assert.That(served.Count).IsEqualTo(healthy.Count);
    }

    private async Task CheckPodsAsync(Dictionary<string, ExpectedPod> healthyPods)
    {
        using var json = await GetAsync("/apis/metrics.k8s.io/v1beta1/pods");
        var served = 0;
        foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
        {
            var metadata = item.GetProperty("metadata");
            var key = metadata.GetProperty("namespace").GetString() + "/" + metadata.GetProperty("name").GetString();
            await Assert.That(healthyPods.TryGetValue(key, out var expected)).IsTrue().Because($"{key} runs on a faulty node");
            var containers = expected!.Containers.ToDictionary(c => c.Name);
            foreach (var container in item.GetProperty("containers").EnumerateArray())
            {
                var want = containers[container.GetProperty("name").GetString()!];
                var usage = container.GetProperty("usage");
                await Assert.That(QuantityText.Bytes(usage.GetProperty("memory").GetString()!)).IsEqualTo(want.MemoryBytes);
                await Assert.That(QuantityText.NanoCores(usage.GetProperty("cpu").GetString()!))
                    .IsBetween(want.CpuNanoCores - CpuTolerance, want.CpuNanoCores + CpuTolerance);
            }
            await Assert.That(item.GetProperty("containers").GetArrayLength()).IsEqualTo(containers.Count);
            served++;
        }
        await Assert.That(served).IsEqualTo(healthyPods.Count);
    }

    private async Task<JsonDocument> GetAsync(string path)
    {
        var result = await cluster.Kubectl().RunAsync("get", "--raw", path);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        return JsonDocument.Parse(result.Output[result.Output.IndexOf('{')..]);
    }

    // metrics_server_manager_tick_duration_seconds: cycles ended, and those that took at most the 10 s resolution.
    private static (long Count, long WithinResolution) TickCounts(string metrics)
    {
        long count = -1, within = -1;
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith("metrics_server_manager_tick_duration_seconds_count ", StringComparison.Ordinal))
                count = long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            else if (line.StartsWith("metrics_server_manager_tick_duration_seconds_bucket{le=\"10\"} ", StringComparison.Ordinal))
                within = long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        if (count < 0 || within < 0)
            throw new InvalidOperationException("no tick duration histogram in /metrics:\n" + metrics);
        return (count, within);
    }
}
