using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>A cluster of its own whose containers restart on purpose, at a 20 s resolution (the fresh-container window).</summary>
public sealed class RestartCluster : LocalCluster
{
    public static readonly TimeSpan Resolution = TimeSpan.FromSeconds(20);

    protected override string FirstAddress => "127.83.0.1";

    protected override int SimulatedNodes => 2;

    protected override int SimulatedPodsPerNode => 4;

    protected override IEnumerable<string> ExtraServerArgs => ["--metric-resolution=20s"];

    /// <summary>Restarts one container in the simulator at <paramref name="cpuNanoCores"/>; answers its new start (Unix ms).</summary>
    public async Task<long> RestartAsync(ExpectedPod pod, long cpuNanoCores)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { BaseAddress = ApiUri, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "admin-token");
        using var response = await client.PostAsync(
            $"/simulator/pods/{pod.Namespace}/{pod.Name}/containers/{pod.Containers[0].Name}/restart?cpuNanoCores={cpuNanoCores}", null);
        response.EnsureSuccessStatusCode();
        var answer = (await response.Content.ReadAsStringAsync()).Trim();
        var start = answer.Split(' ').Single(part => part.StartsWith("startUnixMs=", StringComparison.Ordinal));
        return long.Parse(start["startUnixMs=".Length..], CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Two simulated containers restart (counter back to zero, a newer start time, a new rate) while kubectl keeps
/// reading pod metrics. The oracle is metrics-server's rule (pkg/storage/pod.go), written here from the served
/// timestamps and windows: a point of a container restarted between two scrapes has no rate, unless it started
/// 10 s to one resolution before its scrape, when the rate counts from its start time. So every served rate is the
/// old one or the new one, never negative or across the restart; once the new one is served the old one never is
/// again; and the node, whose counter never resets, moves from the old total to the new one. Restart A comes just
/// after a scrape (so its first scrape is 10-20 s after the restart: fresh), restart B five seconds before one (not
/// fresh); whichever path the timing gives, the rule for it is checked.
/// </summary>
[ClassDataSource<RestartCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed partial class ContainerRestartTests(RestartCluster cluster)
{
    private const long Tolerance = 1_000_000;
    private static readonly TimeSpan FreshMinimum = TimeSpan.FromSeconds(10);

    // Two resolutions for each restart to reach the store, a third for the node's window, and a slow machine.
    private static readonly TimeSpan ObserveLimit = (4 * RestartCluster.Resolution) + TimeSpan.FromSeconds(60);

    [Test]
    public async Task ContainerRestart_NewRate_NeverNegativeNorAcrossTheRestartThenTheNewRate()
    {
        var node = cluster.Expected.Nodes[0];
        var onNode = cluster.Expected.Pods.Where(p => p.NodeName == node.Name).ToList();
        var single = onNode.Where(p => p.Containers.Count == 1).ToList();
        var (a, b) = (single[0], single[1]);
        var sibling = onNode.First(p => p != a && p != b);
        var (newA, newB) = (NewRate(a), NewRate(b));

        var scraped = await WaitForNextScrapeAsync(sibling);
        var startA = await cluster.RestartAsync(a, newA);
        await DelayUntilAsync(scraped + RestartCluster.Resolution - TimeSpan.FromSeconds(5));
        var startB = await cluster.RestartAsync(b, newB);
        var expected = ExpectedMetrics.Load(Path.Combine(cluster.Directory, "expected.json"));
        var nodeAfter = expected.Nodes.Single(n => n.Name == node.Name).CpuNanoCores;
        var seen = await ObserveAsync(a, b, node.Name, newA, newB, nodeAfter);

        await Assert.That(expected.Pods.Single(p => p.Name == a.Name).CpuNanoCores).IsEqualTo(newA);
        await Assert.That(expected.Pods.Single(p => p.Name == b.Name).CpuNanoCores).IsEqualTo(newB);
        await Assert.That(nodeAfter).IsEqualTo(node.CpuNanoCores + (newA - a.CpuNanoCores) + (newB - b.CpuNanoCores));
        var pathA = await CheckRestartAsync(a, [.. seen.Select(s => s.A)], newA, startA);
        var pathB = await CheckRestartAsync(b, [.. seen.Select(s => s.B)], newB, startB);
        await CheckNodeAsync([.. seen.Select(s => s.NodeCpu)], node.CpuNanoCores, node.CpuNanoCores + newA - a.CpuNanoCores, nodeAfter);
        Console.WriteLine($"restart A ({a.Name}): {pathA}; restart B ({b.Name}): {pathB}; {seen.Count} observations");
    }

    /// <summary>What one poll saw: the two restarted pods (null when not served), and the node's CPU (null when not served).</summary>
    private sealed record Observation(PodUsage? A, PodUsage? B, long? NodeCpu);

    private sealed record PodUsage(long CpuNanoCores, DateTimeOffset Timestamp, TimeSpan Window);

    // A rate far from the old one: any blend of the two, or a rate across the reset, is neither.
    private static long NewRate(ExpectedPod pod) =>
        pod.CpuNanoCores < 250_000_000 ? pod.CpuNanoCores + 300_000_000 : pod.CpuNanoCores - 200_000_000;

    // Every served rate is the old or the new one, the old never after the new, and the first new one follows the rule.
    private async Task<string> CheckRestartAsync(ExpectedPod pod, List<PodUsage?> seen, long newRate, long startUnixMs)
    {
        var served = seen.Where(u => u is not null).Select(u => u!).ToList();
        foreach (var usage in served)
        {
            var isOld = Math.Abs(usage.CpuNanoCores - pod.CpuNanoCores) <= Tolerance;
            var isNew = Math.Abs(usage.CpuNanoCores - newRate) <= Tolerance;
            await Assert.That(isOld || isNew).IsTrue()
                .Because($"{pod.Name} served {usage.CpuNanoCores}n at {usage.Timestamp:HH:mm:ss} (old {pod.CpuNanoCores}n, new {newRate}n)");
        }
        var firstNew = served.FindIndex(u => Math.Abs(u.CpuNanoCores - newRate) <= Tolerance);
        await Assert.That(firstNew).IsGreaterThanOrEqualTo(0).Because($"{pod.Name} never served its new rate");
        var lastOld = served.FindLastIndex(u => Math.Abs(u.CpuNanoCores - pod.CpuNanoCores) <= Tolerance);
        await Assert.That(lastOld).IsLessThan(firstNew).Because($"{pod.Name} served its old rate after its new one");
        return await CheckFirstNewAsync(pod.Name, served[firstNew], startUnixMs, absentSeen: seen.Any(u => u is null));
    }

    // The first new rate must be one of upstream's two: from the start time (fresh) or between two points after the
    // restart. The served timestamp is the scrape's in whole seconds rounded down; the window is exact.
    private static async Task<string> CheckFirstNewAsync(string name, PodUsage first, long startUnixMs, bool absentSeen)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(startUnixMs);
        var scrapeIfFresh = start + first.Window;
        var fresh = scrapeIfFresh >= first.Timestamp - TimeSpan.FromMilliseconds(5) && scrapeIfFresh < first.Timestamp + TimeSpan.FromSeconds(1)
            && first.Window >= FreshMinimum && first.Window < RestartCluster.Resolution && !absentSeen;
        if (fresh)
            return $"fresh: a rate from the start time at the first scrape, {first.Window.TotalSeconds:F3} s after the restart";
        // Between two points after the restart: the earlier one, unless fresh, had no rate of its own.
        var earliest = first.Timestamp - first.Window - start;
        var latest = earliest + TimeSpan.FromSeconds(1);
        await Assert.That(latest).IsGreaterThan(TimeSpan.Zero)
            .Because($"{name}: window {first.Window} at {first.Timestamp:HH:mm:ss} reaches back before the restart");
        await Assert.That(earliest >= FreshMinimum && latest <= RestartCluster.Resolution).IsFalse()
            .Because($"{name}: its first scrape came {earliest.TotalSeconds:F1}-{latest.TotalSeconds:F1} s after the restart, so it was fresh");
        return $"not fresh: first scrape {earliest.TotalSeconds:F1}-{latest.TotalSeconds:F1} s after the restart, rate from the second";
    }

    // The node's counter never resets: each rate lies within the totals it ran at (before, after A, after both), and the
    // last is the new total.
    private static async Task CheckNodeAsync(List<long?> seen, long before, long between, long after)
    {
        var low = Math.Min(before, Math.Min(between, after)) - Tolerance;
        var high = Math.Max(before, Math.Max(between, after)) + Tolerance;
        foreach (var cpu in seen.Where(c => c is not null))
            await Assert.That(cpu!.Value).IsBetween(low, high);
        await Assert.That(seen.Last(c => c is not null)!.Value).IsBetween(after - Tolerance, after + Tolerance);
    }

    private async Task<DateTimeOffset> WaitForNextScrapeAsync(ExpectedPod sibling)
    {
        var first = (await PodsAsync())[sibling.Name].Timestamp;
        var deadline = DateTime.UtcNow + RestartCluster.Resolution + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            if ((await PodsAsync()).TryGetValue(sibling.Name, out var now) && now.Timestamp > first)
                return now.Timestamp;
        }
        throw new TimeoutException($"no scrape of {sibling.NodeName} after {first:HH:mm:ss}");
    }

    // Polls until both pods and the node serve their new rates (and a little longer), or fails after ObserveLimit.
    private async Task<List<Observation>> ObserveAsync(ExpectedPod a, ExpectedPod b, string node, long newA, long newB, long nodeAfter)
    {
        var seen = new List<Observation>();
        var deadline = DateTime.UtcNow + ObserveLimit;
        var settled = 0;
        while (settled < 3)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"new rates not served within {ObserveLimit.TotalSeconds} s; last: {seen.LastOrDefault()}");
            var pods = await PodsAsync();
            var observation = new Observation(pods.GetValueOrDefault(a.Name), pods.GetValueOrDefault(b.Name), await NodeCpuAsync(node));
            seen.Add(observation);
            settled = Near(observation.A?.CpuNanoCores, newA) && Near(observation.B?.CpuNanoCores, newB) && Near(observation.NodeCpu, nodeAfter)
                ? settled + 1
                : 0;
            await Task.Delay(500);
        }
        return seen;
    }

    private static bool Near(long? value, long expected) => value is { } v && Math.Abs(v - expected) <= Tolerance;

    private static async Task DelayUntilAsync(DateTimeOffset when)
    {
        var wait = when - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
    }

    private async Task<Dictionary<string, PodUsage>> PodsAsync()
    {
        using var json = await GetJsonAsync("/apis/metrics.k8s.io/v1beta1/pods");
        var pods = new Dictionary<string, PodUsage>(StringComparer.Ordinal);
        foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
        {
            long cpu = 0;
            foreach (var container in item.GetProperty("containers").EnumerateArray())
                cpu += QuantityText.NanoCores(container.GetProperty("usage").GetProperty("cpu").GetString()!);
            pods[item.GetProperty("metadata").GetProperty("name").GetString()!] = new PodUsage(
                cpu, item.GetProperty("timestamp").GetDateTimeOffset(), GoDuration(item.GetProperty("window").GetString()!));
        }
        return pods;
    }

    private async Task<long?> NodeCpuAsync(string node)
    {
        using var json = await GetJsonAsync("/apis/metrics.k8s.io/v1beta1/nodes");
        foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
        {
            if (item.GetProperty("metadata").GetProperty("name").GetString() == node)
                return QuantityText.NanoCores(item.GetProperty("usage").GetProperty("cpu").GetString()!);
        }
        return null;
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        var result = await cluster.Kubectl().RunAsync("get", "--raw", path);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"kubectl get --raw {path}: {result}");
        return JsonDocument.Parse(result.Output[result.Output.IndexOf('{', StringComparison.Ordinal)..]);
    }

    // Go's time.Duration.String(), as metav1.Duration writes the window: "20.004s", "1m0.5s", "950ms".
    private static TimeSpan GoDuration(string text)
    {
        var total = TimeSpan.Zero;
        var matches = DurationPart().Matches(text);
        if (matches.Sum(m => m.Length) != text.Length)
            throw new FormatException("not a Go duration: " + text);
        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                "ms" => TimeSpan.FromMilliseconds(value),
                "us" or "µs" => TimeSpan.FromMicroseconds(value),
                _ => TimeSpan.FromTicks((long)(value / 100)),
            };
        }
        return total;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex DurationPart();
}
