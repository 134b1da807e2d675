using static TinyMetrics.Storage.Tests.StoreHarness;
using TinyMetrics.Parsing;

namespace TinyMetrics.Storage.Tests;

/// <summary>Swap is a gauge like the working set: the newest point's value, and only where the kubelet reported it.</summary>
public class MetricsStoreSwapTests
{
    private readonly MetricsStore _store = new(Resolution);
    private readonly Discovery.ClusterView _cluster = Everything("node1", "node2");

    private static MetricPoint WithSwap(MetricPoint point, ulong swap) => point with { Swap = SwapUsage.Of(swap) };

    [Test]
    public async Task Store_NodeWithSwap_ServesTheNewestPointsSwap()
    {
        _store.Store([Node("node1", WithSwap(Point(T0, 100), 4096))], _cluster);
        var snapshot = _store.Store([Node("node1", WithSwap(Point(T0 + (10 * S), 110), 8192))], _cluster);

        await Assert.That(snapshot.FindNode("node1")!.Swap).IsEqualTo(SwapUsage.Of(8192));
    }

    [Test]
    public async Task Store_NodeWithoutSwap_ServesNoSwap()
    {
        _store.Store([Node("node1", Point(T0, 100)), Node("node2", WithSwap(Point(T0, 100), 0))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 + (10 * S), 110)), Node("node2", WithSwap(Point(T0 + (10 * S), 110), 0))], _cluster);

        await Assert.That(snapshot.FindNode("node1")!.Swap.IsReported).IsFalse();
        await Assert.That(snapshot.FindNode("node2")!.Swap.IsReported).IsTrue();
        await Assert.That(snapshot.FindNode("node2")!.Swap.Bytes).IsEqualTo(0UL);
    }

    [Test]
    public async Task Store_ContainersWithAndWithoutSwap_EachKeepsItsOwn()
    {
        var node = Point(T0, 100);
        _store.Store([Node("node1", node,
            Container("ns", "p", "a", WithSwap(Point(T0, 10, memory: 100), 1 << 20)),
            Container("ns", "p", "b", Point(T0, 10, memory: 100)))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 + (10 * S), 110),
            Container("ns", "p", "a", WithSwap(Point(T0 + (10 * S), 20, memory: 200), 2 << 20)),
            Container("ns", "p", "b", Point(T0 + (10 * S), 20, memory: 200)))], _cluster);

        var containers = snapshot.FindPod("ns", "p")!.Containers;
        await Assert.That(containers).IsEquivalentTo(new[]
        {
            new ContainerMetricsValue("a", 1_000_000_000, 200, SwapUsage.Of(2 << 20)),
            new ContainerMetricsValue("b", 1_000_000_000, 200),
        });
    }

    [Test]
    public async Task Store_KubeletStopsReportingSwap_SwapDisappearsWithIt()
    {
        _store.Store([Node("node1", WithSwap(Point(T0, 100), 4096))], _cluster);
        _store.Store([Node("node1", WithSwap(Point(T0 + (10 * S), 110), 4096))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 + (20 * S), 120))], _cluster);

        await Assert.That(snapshot.FindNode("node1")!.Swap.IsReported).IsFalse();
    }
}
