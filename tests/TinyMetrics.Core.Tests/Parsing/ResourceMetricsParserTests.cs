using System.Text;
using static TinyMetrics.Parsing.Tests.ParserHarness;
using TinyMetrics.Fixtures;

namespace TinyMetrics.Parsing.Tests;

public class ResourceMetricsParserTests
{
    [Test]
    public async Task TryParse_NormalBody_DecodesNodePoint()
    {
        var (ok, batch, error) = Parse(KubeletBodies.Normal);

        await Assert.That(ok).IsTrue();
        await Assert.That(error).IsNull();
        await Assert.That(batch.HasNode).IsTrue();
        await Assert.That(batch.Node).IsEqualTo(new MetricPoint(0, 1_700_000_009_720_000_000, 357_354_910_000, 1_616_273_408));
    }

    [Test]
    public async Task TryParse_NormalBody_MergesCpuMemoryAndStartTimeOfEachContainer()
    {
        var (_, batch, _) = Parse(KubeletBodies.Normal);

        await Assert.That(batch.ContainerCount).IsEqualTo(3);
        var dns = Find(batch, "dns-7f9c6d-x2kq8", "dns");
        await Assert.That(dns.Namespace).IsEqualTo("infra");
        await Assert.That(dns.Point).IsEqualTo(new MetricPoint(1_699_998_912_000_000_000, 1_700_000_012_125_000_000, 4_710_169_000, 12_533_760));
        var proxy = Find(batch, "edge-proxy-5b7d9", "proxy");
        await Assert.That(proxy.Point).IsEqualTo(new MetricPoint(1_700_000_000_000_000_000, 1_700_000_011_000_000_000, 12_500_000_000, 5_242_880));
        var sidecar = Find(batch, "edge-proxy-5b7d9", "sidecar");
        await Assert.That(sidecar.Point).IsEqualTo(new MetricPoint(1_700_000_000_000_000_000, 1_700_000_011_000_000_000, 250_000_000, 1_048_576));
    }

    [Test]
    public async Task TryParse_NormalBody_KeepsContainersOfOnePodContiguous()
    {
        var (_, batch, _) = Parse(KubeletBodies.Normal);

        await Assert.That(batch.Containers[0].Pod).IsEqualTo("dns-7f9c6d-x2kq8");
        await Assert.That(batch.Containers[1].Pod).IsEqualTo("edge-proxy-5b7d9");
        await Assert.That(batch.Containers[2].Pod).IsEqualTo("edge-proxy-5b7d9");
    }

    [Test]
    public async Task TryParse_SeventyPodBody_OneNodeAndSeventyPods()
    {
        var (ok, batch, _) = Parse(KubeletBodyBuilder.Build(pods: 70, startTimes: false));

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsTrue();
        await Assert.That(batch.ContainerCount).IsEqualTo(70);
        await Assert.That(CountPods(batch)).IsEqualTo(70);
        var last = Find(batch, KubeletBodyBuilder.PodName(69), "app");
        await Assert.That(last.Namespace).IsEqualTo("team-a");
        await Assert.That(last.Point).IsEqualTo(new MetricPoint(0, 1_700_000_000_069_000_000, 1_569_000_000, 82_837_504));
    }

    [Test]
    public async Task TryParse_ThreeContainersPerPod_GroupsThemUnderTheirPod()
    {
        var (_, batch, _) = Parse(KubeletBodyBuilder.Build(pods: 30, containersPerPod: 3));

        await Assert.That(batch.ContainerCount).IsEqualTo(90);
        await Assert.That(CountPods(batch)).IsEqualTo(30);
        var helper = Find(batch, KubeletBodyBuilder.PodName(7), "helper-2");
        await Assert.That(helper.Point).IsEqualTo(new MetricPoint(1_699_990_007_000_000_000, 1_700_000_000_007_000_000, 3_506_999_999, (17 * 1_048_576) + 2048));
    }

    [Test]
    public async Task TryParse_NoTimestamps_UsesDefaultTime()
    {
        var (ok, batch, _) = Parse(KubeletBodies.NoTimestamps);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.Node.TimestampNs).IsEqualTo(DefaultNs);
        var dns = Find(batch, "dns-7f9c6d-x2kq8", "dns");
        await Assert.That(dns.Point).IsEqualTo(new MetricPoint(1_699_998_912_000_000_000, DefaultNs, 4_710_169_000, 12_533_760));
    }

    [Test]
    public async Task TryParse_DefaultTimeWithSubMillisecondPart_TruncatesToMillisecondLikeUpstream()
    {
        var (_, batch, _) = Parse(KubeletBodies.NoTimestamps, DefaultNs + 123_456_789);

        await Assert.That(batch.Node.TimestampNs).IsEqualTo(DefaultNs + 123_000_000);
    }

    [Test]
    public async Task TryParse_NegativeTimestamp_FailsWholeNode()
    {
        var (ok, batch, error) = Parse(KubeletBodies.NegativeTimestamp);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsEqualTo("line 3: expected timestamp or new record");
        await Assert.That(batch.HasNode).IsFalse();
        await Assert.That(batch.ContainerCount).IsEqualTo(0);
    }

    [Test]
    public async Task TryParse_CrLfLineEnds_SameResultAsLf()
    {
        var lf = Parse(KubeletBodies.Normal).Batch;
        var crlf = Parse(Encoding.UTF8.GetString(KubeletBodies.Normal).Replace("\n", "\r\n", StringComparison.Ordinal));

        await Assert.That(crlf.Ok).IsTrue();
        await Assert.That(crlf.Batch.Node).IsEqualTo(lf.Node);
        await Assert.That(crlf.Batch.ContainerCount).IsEqualTo(3);
        await Assert.That(Find(crlf.Batch, "dns-7f9c6d-x2kq8", "dns").Point).IsEqualTo(Find(lf, "dns-7f9c6d-x2kq8", "dns").Point);
    }

    [Test]
    public async Task TryParse_LabelOrderSwapped_FindsLabelsBySubstring()
    {
        var (_, batch, _) = Parse("""
            container_cpu_usage_seconds_total{pod="p1",namespace="ns1",container="c1"} 2 1700000000000
            container_memory_working_set_bytes{namespace="ns1",container="c1",pod="p1"} 4096 1700000000000

            """);

        await Assert.That(batch.ContainerCount).IsEqualTo(1);
        await Assert.That(batch.Containers[0]).IsEqualTo(new ContainerSample("ns1", "p1", "c1", new MetricPoint(0, 1_700_000_000_000_000_000, 2_000_000_000, 4096)));
    }

    [Test]
    public async Task TryParse_EscapedQuotesInOtherLabels_StillFindsContainerPodNamespace()
    {
        var (ok, batch, _) = Parse("""
            container_cpu_usage_seconds_total{id="/kube\"pods\"/x",container="c1",image="reg\\img",namespace="ns1",pod="p1"} 2 1700000000000
            container_memory_working_set_bytes{container="c1",namespace="ns1",pod="p1",note="a\nb"} 4096 1700000000000

            """);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.ContainerCount).IsEqualTo(1);
        await Assert.That(batch.Containers[0].Container).IsEqualTo("c1");
        await Assert.That(batch.Containers[0].Point.MemoryBytes).IsEqualTo(4096UL);
    }

    [Test]
    public async Task TryParse_BraceInsideALabelValue_ParsedTheSameOnEveryPass()
    {
        const string body = "container_cpu_usage_seconds_total{note=\"x}y\",container=\"c\",namespace=\"n\",pod=\"p\"} 2 1700000000000\n"
            + "container_memory_working_set_bytes{note=\"x}y\",container=\"c\",namespace=\"n\",pod=\"p\"} 8 1700000000000\n";
        var parser = new ResourceMetricsParser();
        var batch = new NodeBatch();
        parser.TryParse(Encoding.UTF8.GetBytes(body), DefaultNs, batch, out _);
        var ok = parser.TryParse(Encoding.UTF8.GetBytes(body), DefaultNs, batch, out _);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.ContainerCount).IsEqualTo(1);
        await Assert.That(batch.Containers[0]).IsEqualTo(new ContainerSample("n", "p", "c", new MetricPoint(0, 1_700_000_000_000_000_000, 2_000_000_000, 8)));
    }

    [Test]
    public async Task TryParse_KnownLabelSetFollowedByGarbage_StillFails()
    {
        var parser = new ResourceMetricsParser();
        var batch = new NodeBatch();
        parser.TryParse("pod_cpu_usage_seconds_total{namespace=\"n\",pod=\"p\"} 1\n"u8, DefaultNs, batch, out _);

        var ok = parser.TryParse("pod_cpu_usage_seconds_total{namespace=\"n\",pod=\"p\"}} 1\n"u8, DefaultNs, batch, out var error);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsEqualTo("line 1: invalid sample value");
    }

    [Test]
    [Arguments("1.616273408e+09", 1_616_273_408UL)]
    [Arguments("1.253376e+07", 12_533_760UL)]
    [Arguments("1048576", 1_048_576UL)]
    [Arguments("1024.9", 1024UL)]
    [Arguments("+2.5E3", 2500UL)]
    public async Task TryParse_MemoryValue_TruncatesToBytes(string value, ulong expected)
    {
        var (_, batch, _) = Parse($"node_cpu_usage_seconds_total 1 1700000000000\nnode_memory_working_set_bytes {value} 1700000000000\n");

        await Assert.That(batch.Node.MemoryBytes).IsEqualTo(expected);
    }

    [Test]
    [Arguments("4.710169", 4_710_169_000UL)]
    [Arguments("357.35491", 357_354_910_000UL)]
    [Arguments("342.112345", 342_112_345_000UL)]
    [Arguments("4.601234", 4_601_234_000UL)]
    [Arguments("1e-9", 1UL)]
    [Arguments(".5", 500_000_000UL)]
    public async Task TryParse_CpuSeconds_TruncatesToNanoseconds(string value, ulong expected)
    {
        var (_, batch, _) = Parse($"node_cpu_usage_seconds_total {value} 1700000000000\nnode_memory_working_set_bytes 1 1700000000000\n");

        await Assert.That(batch.Node.CpuNanoSeconds).IsEqualTo(expected);
    }

    [Test]
    public async Task TryParse_InterleavedFamilies_MergesEachContainerOnce()
    {
        var (_, batch, _) = Parse("""
            container_cpu_usage_seconds_total{container="a",namespace="n",pod="p"} 1 1700000000000
            container_cpu_usage_seconds_total{container="b",namespace="n",pod="p"} 2 1700000000000
            container_cpu_usage_seconds_total{container="a",namespace="n",pod="q"} 3 1700000000000
            container_memory_working_set_bytes{container="a",namespace="n",pod="q"} 30 1700000001000
            container_memory_working_set_bytes{container="b",namespace="n",pod="p"} 20 1700000001000
            container_memory_working_set_bytes{container="a",namespace="n",pod="p"} 10 1700000001000

            """);

        await Assert.That(batch.ContainerCount).IsEqualTo(3);
        await Assert.That(batch.Containers[0]).IsEqualTo(new ContainerSample("n", "p", "a", new MetricPoint(0, 1_700_000_001_000_000_000, 1_000_000_000, 10)));
        await Assert.That(batch.Containers[1]).IsEqualTo(new ContainerSample("n", "p", "b", new MetricPoint(0, 1_700_000_001_000_000_000, 2_000_000_000, 20)));
        await Assert.That(batch.Containers[2]).IsEqualTo(new ContainerSample("n", "q", "a", new MetricPoint(0, 1_700_000_001_000_000_000, 3_000_000_000, 30)));
    }

    [Test]
    public async Task TryParse_MemoryLineAfterCpu_TimestampIsTheMemorySamples()
    {
        var (_, batch, _) = Parse("node_cpu_usage_seconds_total 5 1700000000000\nnode_memory_working_set_bytes 7 1700000000500\n");

        await Assert.That(batch.Node.TimestampNs).IsEqualTo(1_700_000_000_500_000_000);
    }

    [Test]
    public async Task TryParse_RepeatedSeries_LastValueWins()
    {
        var (_, batch, _) = Parse("node_cpu_usage_seconds_total 5 1700000000000\nnode_cpu_usage_seconds_total 6 1700000000000\nnode_memory_working_set_bytes 7 1700000000000\n");

        await Assert.That(batch.Node.CpuNanoSeconds).IsEqualTo(6_000_000_000UL);
    }

    [Test]
    public async Task TryParse_SameParserTwice_ReturnsSameStringInstances()
    {
        var parser = new ResourceMetricsParser();
        var first = new NodeBatch();
        var second = new NodeBatch();
        parser.TryParse(KubeletBodies.Normal, DefaultNs, first, out _);
        parser.TryParse(KubeletBodies.Normal, DefaultNs, second, out _);

        await Assert.That(ReferenceEquals(first.Containers[1].Pod, second.Containers[1].Pod)).IsTrue();
        await Assert.That(ReferenceEquals(first.Containers[1].Pod, first.Containers[2].Pod)).IsTrue();
        await Assert.That(ReferenceEquals(first.Containers[0].Namespace, second.Containers[2].Namespace)).IsTrue();
    }

    [Test]
    public async Task TryParse_ReusedBatch_IsClearedFirst()
    {
        var parser = new ResourceMetricsParser();
        var batch = new NodeBatch();
        parser.TryParse(KubeletBodies.Normal, DefaultNs, batch, out _);
        parser.TryParse("container_cpu_usage_seconds_total{container=\"c\",namespace=\"n\",pod=\"p\"} 1\n"u8, DefaultNs, batch, out _);

        await Assert.That(batch.HasNode).IsFalse();
        await Assert.That(batch.ContainerCount).IsEqualTo(0);
    }
}
