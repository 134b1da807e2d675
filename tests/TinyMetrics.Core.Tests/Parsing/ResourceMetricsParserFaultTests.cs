using static TinyMetrics.Parsing.Tests.ParserHarness;

namespace TinyMetrics.Parsing.Tests;

/// <summary>
/// Kubelet faults as decode.go sees them: a duplicated series is overwritten (the last line wins), a sample without
/// a timestamp takes the request time, and NaN, infinite, negative or absurdly large usages are dropped and counted.
/// </summary>
public class ResourceMetricsParserFaultTests
{
    private const string Labels = "{container=\"c\",namespace=\"ns\",pod=\"p\"}";

    [Test]
    public async Task DuplicateSeries_LastLineWins()
    {
        var (ok, batch, _) = Parse(
            $"container_cpu_usage_seconds_total{Labels} 7 1000\n" +
            $"container_cpu_usage_seconds_total{Labels} 2.5 2000\n" +
            $"container_memory_working_set_bytes{Labels} 7 1000\n" +
            $"container_memory_working_set_bytes{Labels} 4096 2000\n" +
            "node_cpu_usage_seconds_total 7 1000\nnode_cpu_usage_seconds_total 30 2000\n" +
            "node_memory_working_set_bytes 7 1000\nnode_memory_working_set_bytes 8192 2000\n");

        await Assert.That(ok).IsTrue();
        var c = Find(batch, "p", "c").Point;
        await Assert.That(c.CpuNanoSeconds).IsEqualTo(2_500_000_000UL);
        await Assert.That(c.MemoryBytes).IsEqualTo(4096UL);
        await Assert.That(c.TimestampNs).IsEqualTo(2_000_000_000L);
        await Assert.That(batch.Node.CpuNanoSeconds).IsEqualTo(30_000_000_000UL);
        await Assert.That(batch.Node.MemoryBytes).IsEqualTo(8192UL);
        await Assert.That(batch.InvalidSamples).IsEqualTo(0);
    }

    [Test]
    public async Task MissingTimestamps_TakeTheRequestTime()
    {
        var (ok, batch, _) = Parse(
            $"container_cpu_usage_seconds_total{Labels} 2.5\ncontainer_memory_working_set_bytes{Labels} 4096\n" +
            "node_cpu_usage_seconds_total 30\nnode_memory_working_set_bytes 8192\n",
            DefaultNs + 123_456);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.Node.TimestampNs).IsEqualTo(DefaultNs);
        await Assert.That(Find(batch, "p", "c").Point.TimestampNs).IsEqualTo(DefaultNs);
    }

    [Test]
    [Arguments("1e+300", "4096")]
    [Arguments("+Inf", "4096")]
    [Arguments("2.5", "NaN")]
    [Arguments("2.5", "-1")]
    [Arguments("2.5", "1e300")]
    [Arguments("-Inf", "4096")]
    public async Task AbsurdContainerValue_PodDropped_Counted(string cpu, string memory)
    {
        var (ok, batch, _) = Parse(
            $"container_cpu_usage_seconds_total{Labels} {cpu} 1000\ncontainer_memory_working_set_bytes{Labels} {memory} 1000\n" +
            "container_cpu_usage_seconds_total{container=\"d\",namespace=\"ns\",pod=\"q\"} 1 1000\n" +
            "container_memory_working_set_bytes{container=\"d\",namespace=\"ns\",pod=\"q\"} 1024 1000\n" +
            "node_cpu_usage_seconds_total 1e300 1000\nnode_memory_working_set_bytes -1.048576e+06 1000\n");

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsFalse();
        await Assert.That(batch.Containers.ToArray().Select(c => c.Pod).ToArray()).IsEquivalentTo(new[] { "q" });
        await Assert.That(batch.InvalidSamples).IsEqualTo(3);
    }
}
