using System.Text;
using static TinyMetrics.Parsing.Tests.ParserHarness;

namespace TinyMetrics.Parsing.Tests;

public class ResourceMetricsParserSwapTests
{
    // A 1.29+ kubelet's families (swap after start time, node swap after node memory), this repo's own names and values.
    private const string WithSwap = """
        # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
        # TYPE container_cpu_usage_seconds_total counter
        container_cpu_usage_seconds_total{container="app",namespace="shop",pod="cart-5d8f7-abcde"} 12.5 1700000011000
        container_cpu_usage_seconds_total{container="sidecar",namespace="shop",pod="cart-5d8f7-abcde"} 0.25 1700000011000
        # HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes
        # TYPE container_memory_working_set_bytes gauge
        container_memory_working_set_bytes{container="app",namespace="shop",pod="cart-5d8f7-abcde"} 5.24288e+06 1700000011000
        container_memory_working_set_bytes{container="sidecar",namespace="shop",pod="cart-5d8f7-abcde"} 1048576 1700000011000
        # HELP container_swap_usage_bytes [ALPHA] Current amount of the container swap usage in bytes. Reported only on non-windows systems
        # TYPE container_swap_usage_bytes gauge
        container_swap_usage_bytes{container="app",namespace="shop",pod="cart-5d8f7-abcde"} 2.097152e+06 1700000011000
        container_swap_usage_bytes{container="sidecar",namespace="shop",pod="cart-5d8f7-abcde"} 0 1700000011000
        # HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
        # TYPE node_cpu_usage_seconds_total counter
        node_cpu_usage_seconds_total 357.35491 1700000009720
        # HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes
        # TYPE node_memory_working_set_bytes gauge
        node_memory_working_set_bytes 1.616273408e+09 1700000009720
        # HELP node_swap_usage_bytes [ALPHA] Current swap usage of the node in bytes. Reported only on non-windows systems
        # TYPE node_swap_usage_bytes gauge
        node_swap_usage_bytes 7.340032e+07 1700000009720
        # HELP pod_swap_usage_bytes [ALPHA] Current amount of the pod swap usage in bytes. Reported only on non-windows systems
        # TYPE pod_swap_usage_bytes gauge
        pod_swap_usage_bytes{namespace="shop",pod="cart-5d8f7-abcde"} 2.097152e+06 1700000011000

        """;

    [Test]
    public async Task TryParse_NodeSwapFamily_KeepsNodeSwapBesideCpuAndMemory()
    {
        var (ok, batch, _) = Parse(WithSwap);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.Node).IsEqualTo(new MetricPoint(0, 1_700_000_009_720_000_000, 357_354_910_000, 1_616_273_408, SwapUsage.Of(73_400_320)));
    }

    [Test]
    public async Task TryParse_ContainerSwapFamily_KeepsEachContainersSwapIncludingAReportedZero()
    {
        var (_, batch, _) = Parse(WithSwap);

        await Assert.That(Find(batch, "cart-5d8f7-abcde", "app").Point.Swap).IsEqualTo(SwapUsage.Of(2_097_152));
        var sidecar = Find(batch, "cart-5d8f7-abcde", "sidecar").Point.Swap;
        await Assert.That(sidecar.IsReported).IsTrue();
        await Assert.That(sidecar.Bytes).IsEqualTo(0UL);
    }

    [Test]
    public async Task TryParse_BodyWithoutSwapFamilies_ReportsNoSwapAnywhere()
    {
        var body = WithSwap.Replace("container_swap_usage_bytes", "container_other_bytes", StringComparison.Ordinal)
            .Replace("node_swap_usage_bytes", "node_other_bytes", StringComparison.Ordinal);

        var (ok, batch, _) = Parse(body);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.Node.Swap.IsReported).IsFalse();
        await Assert.That(batch.Containers.ToArray().Any(c => c.Point.Swap.IsReported)).IsFalse();
    }

    [Test]
    public async Task TryParse_SwapBeforeCpuAndMemory_StillMergedIntoTheContainer()
    {
        const string body = """
            container_swap_usage_bytes{container="app",namespace="shop",pod="p"} 4096 1700000011000
            node_swap_usage_bytes 8192 1700000009720
            container_cpu_usage_seconds_total{container="app",namespace="shop",pod="p"} 1 1700000011000
            container_memory_working_set_bytes{container="app",namespace="shop",pod="p"} 1024 1700000011000
            node_cpu_usage_seconds_total 2 1700000009720
            node_memory_working_set_bytes 2048 1700000009720

            """;

        var (_, batch, _) = Parse(body);

        await Assert.That(batch.Node).IsEqualTo(new MetricPoint(0, 1_700_000_009_720_000_000, 2_000_000_000, 2048, SwapUsage.Of(8192)));
        await Assert.That(Find(batch, "p", "app").Point).IsEqualTo(new MetricPoint(0, 1_700_000_011_000_000_000, 1_000_000_000, 1024, SwapUsage.Of(4096)));
    }

    [Test]
    public async Task TryParse_ContainerSeenOnlyInSwap_NeitherAddedNorDropsItsPod()
    {
        // Upstream ignores swap lines, so a swap-only series must not turn its pod incomplete.
        var body = WithSwap + """
            container_swap_usage_bytes{container="ghost",namespace="shop",pod="cart-5d8f7-abcde"} 4096 1700000011000

            """;

        var (_, batch, _) = Parse(body);

        await Assert.That(batch.ContainerCount).IsEqualTo(2);
        await Assert.That(CountPods(batch)).IsEqualTo(1);
    }

    [Test]
    public async Task TryParse_SwapLineWithoutTimestamp_DoesNotMoveTheNodeTimestamp()
    {
        var body = WithSwap.Replace("node_swap_usage_bytes 7.340032e+07 1700000009720", "node_swap_usage_bytes 4096", StringComparison.Ordinal);

        var (_, batch, _) = Parse(body);

        await Assert.That(batch.Node.TimestampNs).IsEqualTo(1_700_000_009_720_000_000);
        await Assert.That(batch.Node.Swap).IsEqualTo(SwapUsage.Of(4096));
    }

    [Test]
    public async Task TryParse_NaNSwap_ServesNoSwapRatherThanAMadeUpZero()
    {
        var body = WithSwap.Replace("node_swap_usage_bytes 7.340032e+07", "node_swap_usage_bytes NaN", StringComparison.Ordinal);

        var (ok, batch, _) = Parse(body);

        // A value the kubelet could not express as bytes is no reading: the node serves no swap rather than a guess.
        await Assert.That(ok).IsTrue();
        await Assert.That(batch.Node.Swap.IsReported).IsFalse();
        await Assert.That(batch.HasNode).IsTrue();
    }

    [Test]
    public async Task TryParse_SameSwapBodyTwice_SecondParseAllocatesNothing()
    {
        var body = Encoding.UTF8.GetBytes(WithSwap);
        var parser = new ResourceMetricsParser();
        var batch = new NodeBatch();
        parser.TryParse(body, DefaultNs, batch, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = parser.TryParse(body, DefaultNs, batch, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        await Assert.That(ok).IsTrue();
        await Assert.That(allocated).IsEqualTo(0L);
    }
}
