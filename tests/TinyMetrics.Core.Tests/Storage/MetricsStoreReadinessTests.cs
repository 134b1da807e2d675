using static TinyMetrics.Storage.Tests.StoreHarness;

namespace TinyMetrics.Storage.Tests;

/// <summary>Ready only when both a node and a pod are servable (upstream's ready_test.go).</summary>
public class MetricsStoreReadinessTests
{
    private readonly MetricsStore _store = new(Resolution);
    private readonly Discovery.ClusterView _cluster = Everything("node1");

    [Test]
    public async Task Store_OnlyNodes_NotReady()
    {
        _store.Store([Node("node1", Point(T0, 1))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 + (15 * S), 2))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(1);
        await Assert.That(snapshot.IsReady).IsFalse();
    }

    [Test]
    public async Task Store_OnlyPods_NotReady()
    {
        _store.Store([Node("node1", null, Container("ns", "p", "c", Point(T0, 1)))], _cluster);
        var snapshot = _store.Store([Node("node1", null, Container("ns", "p", "c", Point(T0 + (15 * S), 2)))], _cluster);

        await Assert.That(snapshot.Pods.Length).IsEqualTo(1);
        await Assert.That(snapshot.IsReady).IsFalse();
    }

    [Test]
    public async Task Store_NodesAndPods_ReadyFromSecondCycle()
    {
        var first = _store.Store([Node("node1", Point(T0, 1), Container("ns", "p", "c", Point(T0, 1)))], _cluster);
        var second = _store.Store([Node("node1", Point(T0 + (15 * S), 2), Container("ns", "p", "c", Point(T0 + (15 * S), 2)))], _cluster);
        var allFailed = _store.Store([Failed("node1")], _cluster);

        await Assert.That(first.IsReady).IsFalse();
        await Assert.That(second.IsReady).IsTrue();
        await Assert.That(allFailed.IsReady).IsFalse();
        await Assert.That(allFailed.NodePoints + allFailed.ContainerPoints).IsEqualTo(0);
    }
}
