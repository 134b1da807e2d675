using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>
/// A soak: for <see cref="SoakCluster.Duration"/> kubelets break and mend, pods and nodes are deleted and re-created,
/// and every node and pod list tinymetrics answers is checked against the simulator's exact values, while the
/// process's RSS, GC heap, open descriptors and threads are sampled. One minute at 30 nodes in <c>make test</c>;
/// <c>make soak</c> runs it for 30 minutes at 2,000 nodes and RELIABILITY.md records the figures.
/// </summary>
/// <remarks>
/// A wrong answer is any value that differs from expected.json (memory exact, CPU within 1m), a window that is not
/// positive or longer than three resolutions, a pod whose containers differ from the simulator's, or a node or pod
/// served although its deletion was made <see cref="DeletionSeen"/> before the request and it is still deleted when
/// the answer is read. Every stable node, and every pod on one, must be in every answer.
/// </remarks>
[ClassDataSource<SoakCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class SoakTests(SoakCluster cluster)
{
    // The served CPU rate comes from millisecond kubelet timestamps and Go-formatted counters, as in the other raw tests.
    private const long CpuTolerance = 1_000_000;

    /// <summary>
    /// How long after the simulator has applied a deletion tinymetrics may still serve the object: the watch event's
    /// way to the informer and one snapshot swap, with room for a loaded two-core machine.
    /// </summary>
    private static readonly TimeSpan DeletionSeen = TimeSpan.FromSeconds(5);

    private static readonly string[] FaultModes = ["hang", "garbage", "error500", "counter-reset", "slow", "no-series"];

    private readonly ConcurrentDictionary<string, DateTime> _deleted = new(StringComparer.Ordinal);
    private readonly List<string> _wrong = [];
    private long _changes;

    [Test]
    public async Task ChurnAndKubeletFaults_EveryAnswerExact_ProcessFigures_Flat()
    {
        var expected = cluster.Expected;
        var nodes = expected.Nodes.ToDictionary(n => n.Name);
        var pods = expected.Pods.ToDictionary(p => p.Namespace + "/" + p.Name);
        var faultNodes = expected.Nodes.Take(SoakCluster.FaultNodes).Select(n => n.Name).ToArray();
        var churnNodes = expected.Nodes.Skip(SoakCluster.FaultNodes).Take(SoakCluster.ChurnNodes).Select(n => n.Name).ToHashSet();
        var stableNodes = expected.Nodes.Skip(SoakCluster.FaultNodes + SoakCluster.ChurnNodes).Select(n => n.Name).ToHashSet();
        var stablePods = expected.Pods.Where(p => stableNodes.Contains(p.NodeName)).Select(p => p.Namespace + "/" + p.Name).ToHashSet();
        var churnPods = expected.Pods.Where(p => churnNodes.Contains(p.NodeName)).ToArray();
        var resolution = GoDuration(SoakCluster.Resolution);

        using var client = FrontProxyClient();
        using var stop = new CancellationTokenSource(SoakCluster.Duration);
        var sampleEvery = SoakCluster.Duration >= TimeSpan.FromMinutes(10) ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(10);
        var samples = new List<Sample> { await SampleAsync(TimeSpan.Zero) };
        var started = DateTime.UtcNow;
        var churn = Task.Run(() => ChurnAsync(churnPods, [.. churnNodes], stop.Token));
        var faults = Task.Run(() => FaultsAsync(faultNodes, resolution, stop.Token));
        var sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(sampleEvery, stop.Token); } catch (OperationCanceledException) { break; }
                samples.Add(await SampleAsync(DateTime.UtcNow - started));
            }
        });

        long polls = 0, nodeItems = 0, podItems = 0, missing = 0;
        while (!stop.IsCancellationRequested)
        {
            var requested = DateTime.UtcNow;
            using (var json = await GetAsync(client, "/apis/metrics.k8s.io/v1beta1/nodes"))
            {
                var served = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
                {
                    var name = item.GetProperty("metadata").GetProperty("name").GetString()!;
                    served.Add(name);
                    CheckWindow(name, item, resolution);
                    CheckDeletion(name, requested);
                    if (!nodes.TryGetValue(name, out var want))
                        Wrong($"{name}: not a simulated node");
                    else
                        CheckUsage(name, item.GetProperty("usage"), want);
                    nodeItems++;
                }
                missing += Missing("node", stableNodes, served);
            }
            requested = DateTime.UtcNow;
            using (var json = await GetAsync(client, "/apis/metrics.k8s.io/v1beta1/pods"))
            {
                var served = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
                {
                    var metadata = item.GetProperty("metadata");
                    var key = metadata.GetProperty("namespace").GetString() + "/" + metadata.GetProperty("name").GetString();
                    served.Add(key);
                    CheckWindow(key, item, resolution);
                    CheckDeletion(key, requested);
                    if (!pods.TryGetValue(key, out var want))
                        Wrong($"{key}: not a simulated pod");
                    else
                        CheckContainers(key, item.GetProperty("containers"), want);
                    podItems++;
                }
                missing += Missing("pod", stablePods, served);
            }
            polls++;
            try { await Task.Delay(TimeSpan.FromSeconds(2), stop.Token); } catch (OperationCanceledException) { }
        }
        await Task.WhenAll(churn, faults, sampling);
        samples.Add(await SampleAsync(DateTime.UtcNow - started));

        var report = Report(polls, nodeItems, podItems, missing, samples);
        Console.WriteLine(report);
        if (Environment.GetEnvironmentVariable("TINYMETRICS_SOAK_REPORT") is { Length: > 0 } reportFile)
            await File.WriteAllTextAsync(reportFile, report);

        await Assert.That(cluster.Server.HasExited).IsFalse();
        await Assert.That(_wrong).IsEmpty().Because(string.Join("\n", _wrong.Take(20)));
        await Assert.That(missing).IsEqualTo(0);
        await Assert.That(Interlocked.Read(ref _changes)).IsGreaterThan((long)(SoakCluster.Duration.TotalSeconds / 2));
        // Two lists every 2 s, each well under a second on the smallest machine: a stalled server would show here.
        await Assert.That(polls).IsGreaterThanOrEqualTo((long)(SoakCluster.Duration.TotalSeconds / 8));
        var first = samples[0];
        // Descriptors: the kubelet connections (one per node, a hung one replaced each cycle) and the listeners; threads: the pool.
        await Assert.That(samples.Max(s => s.Descriptors)).IsLessThanOrEqualTo(first.Descriptors + 2 * SoakCluster.FaultNodes + 64);
        await Assert.That(samples.Max(s => s.Threads)).IsLessThanOrEqualTo(first.Threads + 32);
        if (SoakCluster.Duration >= TimeSpan.FromMinutes(10))
        {
            // Flat: the last quarter's median RSS within 10 % (and 8 MiB) of the second quarter's.
            var quarter = samples.Count / 4;
            var early = Median(samples.Skip(quarter).Take(quarter).Select(s => s.RssKiB));
            var late = Median(samples.Skip(samples.Count - quarter).Select(s => s.RssKiB));
            await Assert.That(late).IsLessThanOrEqualTo(early * 1.10 + 8 * 1024);
        }
    }

    private async Task ChurnAsync(ExpectedPod[] churnPods, string[] churnNodes, CancellationToken stop)
    {
        var random = new Random(1);
        var nextNodeChurn = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var pending = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            var pod = churnPods[random.Next(churnPods.Length)];
            var key = pod.Namespace + "/" + pod.Name;
            if (!_deleted.ContainsKey(key))
                pending.Add(DeleteAndRecreateAsync($"/simulator/pods/{pod.Namespace}/{pod.Name}", key, TimeSpan.FromSeconds(3 + random.Next(6)), stop));
            if (DateTime.UtcNow >= nextNodeChurn)
            {
                var node = churnNodes[random.Next(churnNodes.Length)];
                if (!_deleted.ContainsKey(node))
                    pending.Add(DeleteAndRecreateAsync($"/simulator/nodes/{node}", node, TimeSpan.FromSeconds(10), stop));
                nextNodeChurn = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            }
            try { await Task.Delay(TimeSpan.FromSeconds(1), stop); } catch (OperationCanceledException) { }
        }
        await Task.WhenAll(pending);
    }

    private async Task DeleteAndRecreateAsync(string path, string key, TimeSpan gone, CancellationToken stop)
    {
        await cluster.ControlAsync(path + "/delete");
        // Marked once the simulator has applied it: the grace for tinymetrics counts from here.
        _deleted[key] = DateTime.UtcNow;
        Interlocked.Increment(ref _changes);
        try { await Task.Delay(gone, stop); } catch (OperationCanceledException) { }
        // Unmarked before re-creating, so an answer that already shows the new object is never counted against it.
        _deleted.TryRemove(key, out _);
        await cluster.ControlAsync(path + "/create");
        Interlocked.Increment(ref _changes);
    }

    private async Task FaultsAsync(string[] faultNodes, TimeSpan resolution, CancellationToken stop)
    {
        var random = new Random(2);
        var pending = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            var node = faultNodes[random.Next(faultNodes.Length)];
            var mode = FaultModes[random.Next(FaultModes.Length)];
            pending.Add(BreakAndMendAsync(node, mode, resolution * 1.5));
            try { await Task.Delay(TimeSpan.FromSeconds(5), stop); } catch (OperationCanceledException) { }
        }
        await Task.WhenAll(pending);
    }

    private async Task BreakAndMendAsync(string node, string mode, TimeSpan broken)
    {
        await cluster.SetKubeletModeAsync(node, mode);
        Interlocked.Increment(ref _changes);
        await Task.Delay(broken);
        await cluster.SetKubeletModeAsync(node, "normal");
    }

    private void CheckDeletion(string key, DateTime requested)
    {
        if (_deleted.TryGetValue(key, out var deletedAt) && deletedAt <= requested - DeletionSeen)
            Wrong($"{key}: served {(requested - deletedAt).TotalSeconds:F1} s after its deletion");
    }

    private void CheckWindow(string key, JsonElement item, TimeSpan resolution)
    {
        var window = GoDuration(item.GetProperty("window").GetString()!);
        if (window <= TimeSpan.Zero || window > 3 * resolution)
            Wrong($"{key}: window {window}");
    }

    private void CheckContainers(string key, JsonElement containers, ExpectedPod want)
    {
        var byName = want.Containers.ToDictionary(c => c.Name);
        if (containers.GetArrayLength() != byName.Count)
            Wrong($"{key}: {containers.GetArrayLength()} containers, the simulator has {byName.Count}");
        foreach (var container in containers.EnumerateArray())
        {
            var name = container.GetProperty("name").GetString()!;
            if (!byName.TryGetValue(name, out var c))
                Wrong($"{key}/{name}: not a simulated container");
            else
                CheckUsage(key + "/" + name, container.GetProperty("usage"), c);
        }
    }

    private void CheckUsage(string key, JsonElement usage, ExpectedNode want)
    {
        var memory = QuantityText.Bytes(usage.GetProperty("memory").GetString()!);
        var cpu = QuantityText.NanoCores(usage.GetProperty("cpu").GetString()!);
        if (memory != want.MemoryBytes || Math.Abs(cpu - want.CpuNanoCores) > CpuTolerance)
            Wrong($"{key}: cpu {cpu}n memory {memory}, expected {want.CpuNanoCores}n {want.MemoryBytes}");
    }

    private static long Missing(string kind, HashSet<string> stable, HashSet<string> served)
    {
        long count = 0;
        foreach (var key in stable)
        {
            if (served.Contains(key))
                continue;
            if (count++ < 5)
                Console.WriteLine($"soak: stable {kind} {key} missing at {DateTime.UtcNow:O}");
        }
        return count;
    }

    private void Wrong(string what)
    {
        lock (_wrong)
            _wrong.Add(what);
    }

    private async Task<Sample> SampleAsync(TimeSpan at)
    {
        var pid = cluster.Server.Id;
        var status = await File.ReadAllLinesAsync($"/proc/{pid}/status");
        long Field(string name) => long.Parse(status.First(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        var metrics = await cluster.SelfMetricsAsync();
        return new Sample(at, Field("VmRSS"), Field("Threads"), System.IO.Directory.GetFiles($"/proc/{pid}/fd").Length,
            Gauge(metrics, "dotnet_gc_heap_size_bytes"), Gauge(metrics, "dotnet_gc_committed_bytes"));
    }

    private static long Gauge(string exposition, string name)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
                return (long)double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
        }
        return -1;
    }

    private string Report(long polls, long nodeItems, long podItems, long missing, List<Sample> samples)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"soak nodes={SoakCluster.Nodes} pods_per_node={SoakCluster.Pods} resolution={SoakCluster.Resolution} minutes={SoakCluster.Duration.TotalMinutes:F0} ");
        text.Append(CultureInfo.InvariantCulture,
            $"polls={polls} node_items={nodeItems} pod_items={podItems} changes={Interlocked.Read(ref _changes)} wrong={_wrong.Count} stable_missing={missing}\n");
        text.Append("| minute | RSS MiB | GC heap MiB | GC committed MiB | open fds | threads |\n|---|---|---|---|---|---|\n");
        foreach (var s in samples)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {s.At.TotalMinutes:F1} | {s.RssKiB / 1024.0:F1} | {s.GcHeapBytes / 1048576.0:F1} | {s.GcCommittedBytes / 1048576.0:F1} | {s.Descriptors} | {s.Threads} |\n");
        }
        var tail = samples.Skip(samples.Count / 4).ToList();
        text.Append(CultureInfo.InvariantCulture,
            $"RSS slope after the first quarter: {Slope(tail, s => s.RssKiB):F1} KiB/min; GC heap: {Slope(tail, s => s.GcHeapBytes / 1024.0):F1} KiB/min\n");
        return text.ToString();
    }

    // Least squares over (minutes, value).
    private static double Slope(List<Sample> samples, Func<Sample, double> value)
    {
        if (samples.Count < 2)
            return 0;
        var meanX = samples.Average(s => s.At.TotalMinutes);
        var meanY = samples.Average(value);
        var num = samples.Sum(s => (s.At.TotalMinutes - meanX) * (value(s) - meanY));
        var den = samples.Sum(s => Math.Pow(s.At.TotalMinutes - meanX, 2));
        return den == 0 ? 0 : num / den;
    }

    private static double Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }

    // Go's time.Duration text as tinymetrics writes it in "window" (e.g. 10.002s, 1m0.5s, 500ms) and the flags take it.
    private static TimeSpan GoDuration(string text)
    {
        var total = TimeSpan.Zero;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                i++;
            var number = double.Parse(text[start..i], CultureInfo.InvariantCulture);
            var unitStart = i;
            while (i < text.Length && !char.IsDigit(text[i]))
                i++;
            total += text[unitStart..i] switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                "ms" => TimeSpan.FromMilliseconds(number),
                "µs" or "us" => TimeSpan.FromMicroseconds(number),
                "ns" => TimeSpan.FromTicks((long)(number / 100)),
                var unit => throw new FormatException($"unit {unit} in {text}"),
            };
        }
        return total;
    }

    // Straight to tinymetrics as the aggregation proxy calls it: the front-proxy client certificate vouches for X-Remote-User.
    private HttpClient FrontProxyClient()
    {
        var certificate = X509Certificate2.CreateFromPemFile(
            Path.Combine(cluster.Directory, "front-proxy-client.crt"), Path.Combine(cluster.Directory, "front-proxy-client.key"));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{cluster.ServerPort}"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Remote-User", "soak-check");
        return client;
    }

    private static async Task<JsonDocument> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
    }

    private sealed record Sample(TimeSpan At, long RssKiB, long Threads, long Descriptors, long GcHeapBytes, long GcCommittedBytes);
}
