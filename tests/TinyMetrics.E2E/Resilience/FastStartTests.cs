using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>
/// A cluster of its own at one resolution, counted as up as soon as tinymetrics answers at all: the test, not the
/// cluster, waits for the complete answer, so it sees the first one whatever the resolution.
/// </summary>
public sealed class FastStartCluster(string resolution, string firstAddress) : LocalCluster
{
    protected override string FirstAddress => firstAddress;

    protected override int SimulatedNodes => 3;

    protected override int SimulatedPodsPerNode => 4;

    protected override int ServedNodesWhenUp => 0;

    protected override IEnumerable<string> ExtraServerArgs => [$"--metric-resolution={resolution}"];
}

/// <summary>
/// Complete answers before the first regular tick (upstream serves nothing for a whole resolution, over a minute
/// at 60 s): the first answer with every node and pod comes while the tick count in /metrics is still the count
/// of the first tick and the start-up scrapes that the cycle's log line names, and it has the simulator's rates.
/// </summary>
[NotInParallel(ClusterLanes.Own)]
public sealed partial class FastStartTests
{
    private const long CpuTolerance = 1_000_000;

    /// <summary>Far below the first regular tick at 60 s; at 15 s a late answer shows as a tick count past the start-up ones.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Test]
    [Arguments("60s", "127.95.0.1")]
    [Arguments("15s", "127.95.1.1")]
    public async Task Start_AnyResolution_EveryNodeAndPodServedFromTheStartupScrapesAlone(string resolution, string firstAddress)
    {
        await using var cluster = new FastStartCluster(resolution, firstAddress);
        await cluster.InitializeAsync();
        var pem = await File.ReadAllTextAsync(Path.Combine(cluster.Directory, "front-proxy-client.crt"));
        var key = await File.ReadAllTextAsync(Path.Combine(cluster.Directory, "front-proxy-client.key"));
        using var certificate = X509Certificate2.CreateFromPem(pem, key);
        using var handler = FrontProxyHandler(certificate);
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Add("X-Remote-User", "admin");
        client.DefaultRequestHeaders.Add("X-Remote-Group", "system:masters");
        var (ticksBefore, nodes, pods, ticksAfter) = await FirstCompleteAnswerAsync(cluster, client);
        var complete = await cluster.Server.WaitForLineAsync(line => line.Contains("\"Start-up scrapes complete\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var scrapes = int.Parse(ScrapesPattern().Match(complete).Groups[1].Value, CultureInfo.InvariantCulture);

        // The first tick, then start-up scrapes only (at most four); a regular tick would make the count pass the logged one.
        await Assert.That(scrapes).IsBetween(2, 5);
        // A cycle's tick is counted just after its snapshot is published, so a read beside the answer may lag by one.
        await Assert.That(ticksBefore).IsLessThanOrEqualTo(scrapes);
        await Assert.That(ticksAfter).IsBetween(scrapes - 1, scrapes);
        foreach (var item in nodes)
        {
            var expected = cluster.Expected.Nodes.Single(n => n.Name == Name(item));
            var usage = item.GetProperty("usage");
            await Assert.That(QuantityText.NanoCores(usage.GetProperty("cpu").GetString()!)).IsBetween(expected.CpuNanoCores - CpuTolerance, expected.CpuNanoCores + CpuTolerance);
            await Assert.That(QuantityText.Bytes(usage.GetProperty("memory").GetString()!)).IsEqualTo(expected.MemoryBytes);
            await Assert.That(Window(item)).IsGreaterThan(0);
        }
        foreach (var item in pods)
        {
            var expected = cluster.Expected.Pods.Single(p => p.Namespace == item.GetProperty("metadata").GetProperty("namespace").GetString() && p.Name == Name(item));
            var containers = item.GetProperty("containers").EnumerateArray().ToList();
            await Assert.That(containers.Count).IsEqualTo(expected.Containers.Count);
            await Assert.That(Window(item)).IsGreaterThan(0);
            foreach (var container in containers)
            {
                var want = expected.Containers.Single(c => c.Name == container.GetProperty("name").GetString());
                var usage = container.GetProperty("usage");
                await Assert.That(QuantityText.NanoCores(usage.GetProperty("cpu").GetString()!)).IsBetween(want.CpuNanoCores - CpuTolerance, want.CpuNanoCores + CpuTolerance);
                await Assert.That(QuantityText.Bytes(usage.GetProperty("memory").GetString()!)).IsEqualTo(want.MemoryBytes);
            }
        }
    }

    [Test]
    public async Task TimeToCompleteScript_SixtySecondResolution_OneCompleteRunBeforeTheFirstTickAndItsMedian()
    {
        // make bench-start's script on a small cluster of its own; a run not complete within LIMIT (below the 60 s tick) is flagged.
        await using var script = BoundedProcess.Start("bash", [Path.Combine(Artifacts.RepositoryRoot, "scripts", "time-to-complete.sh"), "3", "2", "1", "60s"],
            new Dictionary<string, string>
            {
                ["TINYMETRICS_BIN"] = Artifacts.ServerBinary,
                ["TINYMETRICS_SIMULATOR"] = Artifacts.SimulatorDll,
                ["FIRST_ADDRESS"] = "127.95.2.1",
                ["LIMIT"] = "50",
            });
        var exit = await script.WaitForExitAsync(TimeSpan.FromSeconds(120));

        await Assert.That(exit).IsEqualTo(0).Because(script.Tail());
        var run = RunLinePattern().Match(script.Output);
        await Assert.That(run.Success).IsTrue().Because(script.Tail());
        await Assert.That(run.Groups[2].Value).IsEqualTo("");
        var median = MedianLinePattern().Match(script.Output);
        await Assert.That(median.Success).IsTrue().Because(script.Tail());
        await Assert.That(median.Groups[1].Value).IsEqualTo(run.Groups[1].Value);
    }

    // Polls straight at tinymetrics (no kubectl process per read, so the answer is seen within ~0.1 s of its publication)
    // until both lists name every simulated node and pod, each read between two readings of the tick count.
    private static async Task<(int TicksBefore, List<JsonElement> Nodes, List<JsonElement> Pods, int TicksAfter)> FirstCompleteAnswerAsync(
        FastStartCluster cluster, HttpClient client)
    {
        var deadline = DateTime.UtcNow + Patience;
        var nodeNames = cluster.Expected.Nodes.Select(n => n.Name).Order(StringComparer.Ordinal).ToArray();
        var podNames = cluster.Expected.Pods.Select(p => p.Namespace + "/" + p.Name).Order(StringComparer.Ordinal).ToArray();
        while (true)
        {
            var before = TickCount(await cluster.SelfMetricsAsync());
            var nodes = await GetItemsAsync(client, cluster, "nodes");
            var pods = await GetItemsAsync(client, cluster, "pods");
            var after = TickCount(await cluster.SelfMetricsAsync());
            if (nodes.Select(Name).Order(StringComparer.Ordinal).SequenceEqual(nodeNames)
                && pods.Select(p => p.GetProperty("metadata").GetProperty("namespace").GetString() + "/" + Name(p)).Order(StringComparer.Ordinal).SequenceEqual(podNames))
                return (before, nodes, pods, after);
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no complete answer within {Patience.TotalSeconds} s: {nodes.Count} nodes, {pods.Count} pods, {after} ticks\n{cluster.Server.Tail()}");
            await Task.Delay(100);
        }
    }

    // As the aggregation proxy calls tinymetrics: the front-proxy client certificate vouches for X-Remote-User.
    private static SocketsHttpHandler FrontProxyHandler(X509Certificate2 certificate) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [certificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        },
    };

    private static async Task<List<JsonElement>> GetItemsAsync(HttpClient client, FastStartCluster cluster, string resource)
    {
        using var response = await client.GetAsync(new Uri($"https://127.0.0.1:{cluster.ServerPort}/apis/metrics.k8s.io/v1beta1/{resource}"));
        if (!response.IsSuccessStatusCode)
            return [];
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("items").EnumerateArray().Select(item => item.Clone())];
    }

    private static string Name(JsonElement item) => item.GetProperty("metadata").GetProperty("name").GetString()!;

    // "10.5s", "9.999s", "1m0s" are the windows a start-up rate can have here; any of them is > 0.
    private static double Window(JsonElement item)
    {
        var text = item.GetProperty("window").GetString()!;
        var match = WindowPattern().Match(text);
        if (!match.Success)
            throw new FormatException($"window {text}");
        var minutes = match.Groups[1].Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return (minutes * 60) + double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    private static int TickCount(string metrics)
    {
        var match = TickCountPattern().Match(metrics);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^metrics_server_manager_tick_duration_seconds_count(?:\{\})? (\d+)$", RegexOptions.Multiline)]
    private static partial Regex TickCountPattern();

    [GeneratedRegex(@"^resolution=60s run=1 nodes=3 pods=\d+ time_to_complete_s=([\d.]+)( \(not complete\))?$", RegexOptions.Multiline)]
    private static partial Regex RunLinePattern();

    [GeneratedRegex(@"^resolution=60s runs=1 median_time_to_complete_s=([\d.]+)$", RegexOptions.Multiline)]
    private static partial Regex MedianLinePattern();

    [GeneratedRegex(@"scrapes=(\d+)")]
    private static partial Regex ScrapesPattern();

    [GeneratedRegex(@"^(?:(\d+)m)?([\d.]+)s$")]
    private static partial Regex WindowPattern();
}
