using static TinyMetrics.Storage.Tests.StoreHarness;
using TinyMetrics.Fixtures;
using TinyMetrics.Parsing;
using TinyMetrics.Scraping;

namespace TinyMetrics.Storage.Tests;

/// <summary>Parser into store, with the rates of metrics-server's API samples.</summary>
public class MetricsStoreEndToEndTests
{
    private readonly ResourceMetricsParser _parser = new();
    private readonly MetricsStore _store = new(Resolution);
    private readonly Discovery.ClusterView _cluster = Cluster(["node1"], [("infra", "dns-7f9c6d-x2kq8"), ("infra", "edge-proxy-5b7d9")]);

    private MetricsSnapshot Cycle(ReadOnlySpan<byte> body)
    {
        var batch = new NodeBatch();
        _parser.TryParse(body, 0, batch, out _);
        return _store.Store([new NodeScrapeResult("node1", batch, null, 1)], _cluster);
    }

    [Test]
    public async Task Store_TwoScrapesFifteenSecondsApart_NodeRateMatchesReference()
    {
        Cycle(KubeletBodies.FifteenSecondsEarlier);
        var snapshot = Cycle(KubeletBodies.Normal);

        var node = snapshot.FindNode("node1")!;
        await Assert.That(node.CpuNanoCores).IsEqualTo(1_016_171_000UL);
        await Assert.That(node.MemoryBytes).IsEqualTo(1_616_273_408UL);
        await Assert.That(node.WindowNs).IsEqualTo(15 * S);
        await Assert.That(node.TimestampNs).IsEqualTo(1_700_000_009_720_000_000);
    }

    [Test]
    public async Task Store_TwoScrapesFifteenSecondsApart_ContainerRateMatchesReference()
    {
        Cycle(KubeletBodies.FifteenSecondsEarlier);
        var snapshot = Cycle(KubeletBodies.Normal);

        var pod = snapshot.FindPod("infra", "dns-7f9c6d-x2kq8")!;
        await Assert.That(pod.Containers).IsEquivalentTo(new[] { new ContainerMetricsValue("dns", 7_262_333, 12_533_760) });
        await Assert.That(pod.WindowNs).IsEqualTo(15 * S);
        await Assert.That(pod.TimestampNs).IsEqualTo(1_700_000_012_125_000_000);
        await Assert.That(snapshot.IsReady).IsTrue();
    }

    [Test]
    public async Task Store_FreshPodInFirstScrape_ServedFromStartTime()
    {
        var snapshot = Cycle(KubeletBodies.Normal);

        // edge-proxy started 11 s before its sample (10 s ≤ age < 15 s): 12.5 core·s over 11 s, sidecar 0.25 over 11 s.
        var pod = snapshot.FindPod("infra", "edge-proxy-5b7d9")!;
        await Assert.That(pod.WindowNs).IsEqualTo(11 * S);
        await Assert.That(pod.Containers).IsEquivalentTo(
            new[] { new ContainerMetricsValue("proxy", 1_136_363_636, 5_242_880), new ContainerMetricsValue("sidecar", 22_727_272, 1_048_576) },
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(snapshot.FindPod("infra", "dns-7f9c6d-x2kq8")).IsNull();
    }

    [Test]
    public async Task Store_SteadyStateCycle_KeepsAllocationSmall()
    {
        var cluster = Discovery.ClusterView.Empty;
        var batch = new NodeBatch();
        NodeScrapeResult[] results = [new("node1", batch, null, 1)];
        for (var cycle = 0; cycle < 2; cycle++)
        {
            _parser.TryParse(KubeletBodyBuilder.Build(pods: 300, containersPerPod: 2, baseMs: KubeletBodyBuilder.BaseMs + (cycle * 15_000)), 0, batch, out _);
            _store.Store(results, cluster);
        }
        _parser.TryParse(KubeletBodyBuilder.Build(pods: 300, containersPerPod: 2, baseMs: KubeletBodyBuilder.BaseMs + 30_000), 0, batch, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var snapshot = _store.Store(results, cluster);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Nothing joins an empty cluster view, so what remains is the snapshot shell and one pointer per pod of
        // list capacity: 600 containers with even one small heap object each would exceed this.
        await Assert.That(snapshot.Pods.Length).IsEqualTo(0);
        await Assert.That(snapshot.ContainerPoints).IsEqualTo(600);
        await Assert.That(allocated).IsLessThan(4096L);
    }
}
