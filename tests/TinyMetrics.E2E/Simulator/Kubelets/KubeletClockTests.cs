using System.Net;
using TinyMetrics.Simulator.Api;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Kubelets.Tests;

public class KubeletClockTests
{
    [Test]
    public async Task MetricsResource_ManualClockFifteenSeconds_CountersAdvanceExactlyRateTimesFifteen()
    {
        var clock = new ManualTime(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var options = new SimulatorOptions
        {
            Nodes = 1,
            PodsPerNode = 4,
            KubeletPort = 0,
            ApiPort = 0,
            Seed = 5,
            Directory = Path.Combine(Path.GetTempPath(), "tm-sim-clock-" + Guid.NewGuid().ToString("N")[..8]),
            FirstAddress = IPAddress.Parse($"127.{Random.Shared.Next(200, 250)}.{Random.Shared.Next(1, 250)}.1"),
        };
        await using var host = await SimulatorHost.StartAsync(options, clock, CancellationToken.None);
        var node = host.Cluster.Nodes[0];
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", TokenAuthenticator.MetricsServerToken);
        var url = new Uri($"https://{node.Address}:{node.KubeletPort}/metrics/resource");

        var (_, first) = PromText.Parse(await client.GetStringAsync(url));
        clock.Now += TimeSpan.FromSeconds(15);
        var (_, second) = PromText.Parse(await client.GetStringAsync(url));
        Directory.Delete(host.Directory, recursive: true);

        var a = PromText.Find(first, "node_cpu_usage_seconds_total");
        var b = PromText.Find(second, "node_cpu_usage_seconds_total");
        await Assert.That(a.TimestampMs).IsEqualTo(clock.Now.AddSeconds(-15).ToUnixTimeMilliseconds());
        await Assert.That(b.TimestampMs - a.TimestampMs).IsEqualTo(15_000L);
        await Assert.That(b.Value - a.Value).IsEqualTo(node.CpuNanoCores * 15 / 1e9).Within(1e-6);
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
