using static TinyMetrics.Parsing.Tests.ParserHarness;

namespace TinyMetrics.Parsing.Tests;

/// <summary>The completeness rules of decode.go, as upstream's decode_test.go table.</summary>
public class ResourceMetricsParserDropRuleTests
{
    private const string Cpu = "container_cpu_usage_seconds_total{container=\"c\",namespace=\"n\",pod=\"p\"}";
    private const string Mem = "container_memory_working_set_bytes{container=\"c\",namespace=\"n\",pod=\"p\"}";
    private const string Start = "container_start_time_seconds{container=\"c\",namespace=\"n\",pod=\"p\"}";
    private const string NodeCpu = "node_cpu_usage_seconds_total";
    private const string NodeMem = "node_memory_working_set_bytes";

    [Test]
    [Arguments($"{NodeCpu} 357.35491 1700000009720\n{NodeMem} 1.616273408e+09 1700000009720\n", true)]
    [Arguments($"{NodeMem} 1.616273408e+09 1700000009720\n", false)]
    [Arguments($"{NodeCpu} 0 1700000009720\n{NodeMem} 1.616273408e+09 1700000009720\n", false)]
    [Arguments($"{NodeCpu} 357.35491 1700000009720\n", false)]
    [Arguments($"{NodeCpu} 357.35491 1700000009720\n{NodeMem} 0 1700000009720\n", false)]
    [Arguments($"{NodeCpu} 357.35491 0\n{NodeMem} 1.616273408e+09 0\n", false)]
    [Arguments($"{NodeCpu} NaN 1700000009720\n{NodeMem} 1.616273408e+09 1700000009720\n", false)]
    [Arguments($"{NodeCpu} -1.5 1700000009720\n{NodeMem} 1.616273408e+09 1700000009720\n", false)]
    [Arguments($"{NodeCpu} 357.35491 1700000009720\n{NodeMem} +Inf 1700000009720\n", false)]
    [Arguments($"{NodeCpu} 357.35491 1700000009720\n{NodeMem} 0.5 1700000009720\n", false)]
    public async Task TryParse_NodeLines_KeepsNodeOnlyWhenCompleteAndNonZero(string body, bool hasNode)
    {
        var (ok, batch, _) = Parse(body);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsEqualTo(hasNode);
    }

    [Test]
    [Arguments($"{Cpu} 4.710169 1700000012125\n{Mem} 1.253376e+07 1700000012125\n", 1)]
    [Arguments($"{Mem} 1.253376e+07 1700000012125\n", 0)]
    [Arguments($"{Cpu} 0 1700000012125\n{Mem} 1.253376e+07 1700000012125\n", 0)]
    [Arguments($"{Cpu} 4.710169 1700000012125\n", 0)]
    [Arguments($"{Cpu} 4.710169 1700000012125\n{Mem} 0 1700000012125\n", 0)]
    [Arguments($"{Start} 1.699998912e+9\n", 0)]
    [Arguments($"{Cpu} nan 1700000012125\n{Mem} 1.253376e+07 1700000012125\n", 0)]
    [Arguments($"{Cpu} -Inf 1700000012125\n{Mem} 1.253376e+07 1700000012125\n", 0)]
    [Arguments($"{Cpu} 4.710169 1700000012125\n{Mem} -4096 1700000012125\n", 0)]
    public async Task TryParse_ContainerLines_KeepsPodOnlyWhenCpuAndMemoryNonZero(string body, int containers)
    {
        var (ok, batch, _) = Parse(body);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.ContainerCount).IsEqualTo(containers);
    }

    [Test]
    public async Task TryParse_PodsOnlyBody_KeepsPodsWithoutNode()
    {
        var (ok, batch, _) = Parse($"{Cpu} 4.710169 1700000012125\n{Mem} 1.253376e+07 1700000012125\n{Start} 1.699998912e+9\n");

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsFalse();
        await Assert.That(batch.ContainerCount).IsEqualTo(1);
    }

    [Test]
    public async Task TryParse_NodeDropped_KeepsItsPods()
    {
        var (_, batch, _) = Parse($"{Cpu} 4.710169 1700000012125\n{Mem} 1.253376e+07 1700000012125\n{NodeCpu} 0 1700000009720\n{NodeMem} 1 1700000009720\n");

        await Assert.That(batch.HasNode).IsFalse();
        await Assert.That(batch.ContainerCount).IsEqualTo(1);
    }

    [Test]
    public async Task TryParse_OneContainerWithZeroCpu_DropsItsWholePodOnly()
    {
        var (_, batch, _) = Parse("""
            container_cpu_usage_seconds_total{container="a",namespace="n",pod="bad"} 1 1700000000000
            container_cpu_usage_seconds_total{container="b",namespace="n",pod="bad"} 0 1700000000000
            container_cpu_usage_seconds_total{container="a",namespace="n",pod="good"} 1 1700000000000
            container_memory_working_set_bytes{container="a",namespace="n",pod="bad"} 10 1700000000000
            container_memory_working_set_bytes{container="b",namespace="n",pod="bad"} 10 1700000000000
            container_memory_working_set_bytes{container="a",namespace="n",pod="good"} 10 1700000000000

            """);

        await Assert.That(batch.ContainerCount).IsEqualTo(1);
        await Assert.That(batch.Containers[0].Pod).IsEqualTo("good");
    }

    [Test]
    public async Task TryParse_ContainerWithOnlyStartTime_DropsItsPod()
    {
        var (_, batch, _) = Parse("""
            container_cpu_usage_seconds_total{container="app",namespace="n",pod="p"} 1 1700000000000
            container_memory_working_set_bytes{container="app",namespace="n",pod="p"} 10 1700000000000
            container_start_time_seconds{container="app",namespace="n",pod="p"} 1699999000
            container_start_time_seconds{container="init",namespace="n",pod="p"} 1699998000

            """);

        await Assert.That(batch.ContainerCount).IsEqualTo(0);
    }

    [Test]
    [Arguments("NaN")]
    [Arguments("-6.7953645788713455e+09")]
    [Arguments("+Inf")]
    [Arguments("1e300")]
    public async Task TryParse_InvalidStartTime_KeepsPodWithUnknownStartTime(string start)
    {
        var (_, batch, _) = Parse($"{Cpu} 1 1700000000000\n{Mem} 10 1700000000000\n{Start} {start}\n");

        await Assert.That(batch.ContainerCount).IsEqualTo(1);
        await Assert.That(batch.Containers[0].Point.StartTimeNs).IsEqualTo(0L);
    }

    [Test]
    public async Task TryParse_StartTimeWithOwnTimestamp_IgnoresThatTimestamp()
    {
        var (_, batch, _) = Parse($"{Cpu} 1 1700000000000\n{Mem} 10 1700000000000\n{Start} 1699999000 1800000000000\n");

        await Assert.That(batch.Containers[0].Point.TimestampNs).IsEqualTo(1_700_000_000_000_000_000);
        await Assert.That(batch.Containers[0].Point.StartTimeNs).IsEqualTo(1_699_999_000_000_000_000);
    }

    [Test]
    public async Task TryParse_ContainerSeriesMissingPodLabel_IsSkipped()
    {
        var (ok, batch, _) = Parse("""
            container_cpu_usage_seconds_total{container="a",namespace="n"} 1 1700000000000
            container_memory_working_set_bytes{container="a",namespace="n"} 10 1700000000000

            """);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.ContainerCount).IsEqualTo(0);
    }
}
