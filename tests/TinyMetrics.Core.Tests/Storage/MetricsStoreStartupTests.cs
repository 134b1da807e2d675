using static TinyMetrics.Storage.Tests.StoreHarness;

namespace TinyMetrics.Storage.Tests;

/// <summary>Start-up scrapes of some nodes: the others keep their points, and the pending set names what to ask again.</summary>
public class MetricsStoreStartupTests
{
    private readonly MetricsStore _store = new(Resolution);
    private readonly Discovery.ClusterView _cluster = Everything("node1", "node2");

    [Test]
    public async Task StoreStartup_SomeNodes_TheOthersAndTheirPodsKeptAsTheyAre()
    {
        _store.Store([
            Node("node1", Point(T0, 10), Container("ns", "p", "app", Point(T0, 1))),
            Node("node2", Point(T0, 20), Container("ns", "q", "app", Point(T0, 2))),
        ], _cluster);
        var pendingAfterFirst = (_store.IsPending("node1"), _store.IsPending("node2"));
        var one = _store.StoreStartup([Node("node1", Point(T0 + (10 * S), 15), Container("ns", "p", "app", Point(T0 + (10 * S), 2)))], _cluster);
        var pendingAfterOne = (_store.IsPending("node1"), _store.IsPending("node2"));
        var both = _store.StoreStartup([Node("node2", Point(T0 + (12 * S), 26), Container("ns", "q", "app", Point(T0 + (12 * S), 5)))], _cluster);

        await Assert.That(pendingAfterFirst).IsEqualTo((true, true));
        await Assert.That(one.Nodes.Length).IsEqualTo(1);
        await Assert.That(one.Pods.Length).IsEqualTo(1);
        await Assert.That(pendingAfterOne).IsEqualTo((false, true));
        await Assert.That(_store.PendingNodes + _store.PendingPods).IsEqualTo(0);
        await Assert.That(_store.IsPending("node2")).IsFalse();
        await Assert.That(both.Nodes.Length).IsEqualTo(2);
        await Assert.That(both.FindNode("node1")!.CpuNanoCores).IsEqualTo(500_000_000UL);
        await Assert.That(both.FindNode("node1")!.WindowNs).IsEqualTo(10 * S);
        await Assert.That(both.FindNode("node2")!.CpuNanoCores).IsEqualTo(500_000_000UL);
        await Assert.That(both.FindPod("ns", "p")!.Containers[0].CpuNanoCores).IsEqualTo(100_000_000UL);
        await Assert.That(both.FindPod("ns", "q")!.Containers[0].CpuNanoCores).IsEqualTo(250_000_000UL);
        await Assert.That(both.NodePoints).IsEqualTo(2);
        await Assert.That(both.ContainerPoints).IsEqualTo(2);
    }

    [Test]
    public async Task StoreStartup_PendingNodeFails_ForgottenAsInARegularCycle()
    {
        _store.Store([Node("node1", Point(T0, 10)), Node("node2", Point(T0, 20))], _cluster);
        _store.StoreStartup([Node("node1", Point(T0 + (10 * S), 15)), Failed("node2")], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 + (15 * S), 25)), Node("node2", Point(T0 + (15 * S), 30))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(1);
        await Assert.That(snapshot.Nodes[0].Name).IsEqualTo("node1");
        await Assert.That(_store.IsPending("node2")).IsTrue();
    }

    [Test]
    public async Task Store_AfterAStartupPoint_RatesAgainstThePointBeforeIt()
    {
        _store.Store([Node("node1", Point(T0, 10), Container("ns", "p", "app", Point(T0, 1)))], _cluster);
        _store.StoreStartup([Node("node1", Point(T0 + (10 * S), 12), Container("ns", "p", "app", Point(T0 + (10 * S), 2)))], _cluster);
        var tick = _store.Store([Node("node1", Point(T0 + (15 * S), 25), Container("ns", "p", "app", Point(T0 + (15 * S), 4)))], _cluster);
        var next = _store.Store([Node("node1", Point(T0 + (30 * S), 40), Container("ns", "p", "app", Point(T0 + (30 * S), 7)))], _cluster);

        await Assert.That(tick.Nodes[0].WindowNs).IsEqualTo(15 * S);
        await Assert.That(tick.Nodes[0].CpuNanoCores).IsEqualTo(1_000_000_000UL);
        await Assert.That(tick.Pods[0].WindowNs).IsEqualTo(15 * S);
        await Assert.That(tick.Pods[0].Containers[0].CpuNanoCores).IsEqualTo(200_000_000UL);
        // Then as upstream: each regular point the next one's prev.
        await Assert.That(next.Nodes[0].WindowNs).IsEqualTo(15 * S);
        await Assert.That(next.Nodes[0].CpuNanoCores).IsEqualTo(1_000_000_000UL);
        await Assert.That(next.Pods[0].Containers[0].CpuNanoCores).IsEqualTo(200_000_000UL);
    }
}
