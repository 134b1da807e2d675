using static TinyMetrics.Storage.Tests.StoreHarness;

namespace TinyMetrics.Storage.Tests;

/// <summary>Storage rules for nodes (metrics-server pkg/storage/node.go), the cases of upstream's node_test.go.</summary>
public class MetricsStoreNodeTests
{
    private readonly MetricsStore _store = new(Resolution);
    private readonly Discovery.ClusterView _cluster = Everything("node1", "node2");

    [Test]
    public async Task Store_TwoPoints_RateOverKubeletWindow()
    {
        _store.Store([Node("node1", Point(T0, 10, memory: 2048))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 + (10 * S), 20, memory: 4096))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(1);
        var node = snapshot.Nodes[0];
        await Assert.That(node.Name).IsEqualTo("node1");
        await Assert.That(node.CpuNanoCores).IsEqualTo(1_000_000_000UL);
        await Assert.That(node.MemoryBytes).IsEqualTo(4096UL);
        await Assert.That(node.TimestampNs).IsEqualTo(T0 + (10 * S));
        await Assert.That(node.WindowNs).IsEqualTo(10 * S);
        await Assert.That(node.Labels.TryGetValue("kubernetes.io/hostname", out var host)).IsTrue();
        await Assert.That(host).IsEqualTo("node1");
        await Assert.That(snapshot.NodePoints).IsEqualTo(1);
    }

    [Test]
    public async Task Store_FirstPoint_NotServable()
    {
        var snapshot = _store.Store([Node("node1", Point(T0, 10))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(0);
        await Assert.That(snapshot.NodePoints).IsEqualTo(0);
    }

    [Test]
    public async Task Store_RepeatedPoint_NotReady()
    {
        _store.Store([Node("node1", Point(T0, 10))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0, 10))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(0);
        await Assert.That(snapshot.NodePoints).IsEqualTo(0);
    }

    [Test]
    public async Task Store_CpuDecrease_NodeSkippedThenRecovers()
    {
        _store.Store([Node("node1", Point(T0, 20))], _cluster);
        var restarted = _store.Store([Node("node1", Point(T0 + (10 * S), 5))], _cluster);
        var recovered = _store.Store([Node("node1", Point(T0 + (20 * S), 10))], _cluster);

        await Assert.That(restarted.Nodes.Length).IsEqualTo(0);
        await Assert.That(restarted.NodePoints).IsEqualTo(1);
        await Assert.That(recovered.Nodes[0].CpuNanoCores).IsEqualTo(500_000_000UL);
    }

    [Test]
    public async Task Store_PointOlderThanPrev_DropsPrev()
    {
        _store.Store([Node("node1", Point(T0, 10))], _cluster);
        _store.Store([Node("node1", Point(T0 + (10 * S), 20))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 - (5 * S), 5))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(0);
        await Assert.That(snapshot.NodePoints).IsEqualTo(0);
    }

    [Test]
    public async Task Store_PointBetweenPrevAndLast_KeepsPrev()
    {
        _store.Store([Node("node1", Point(T0, 10))], _cluster);
        _store.Store([Node("node1", Point(T0 + (20 * S), 60))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 + (10 * S), 35))], _cluster);

        await Assert.That(snapshot.Nodes[0].CpuNanoCores).IsEqualTo(2_500_000_000UL);
        await Assert.That(snapshot.Nodes[0].WindowNs).IsEqualTo(10 * S);
        await Assert.That(snapshot.Nodes[0].TimestampNs).IsEqualTo(T0 + (10 * S));
    }

    [Test]
    public async Task Store_SamePointAfterPrev_KeepsPrevAndStaysServable()
    {
        _store.Store([Node("node1", Point(T0, 10))], _cluster);
        _store.Store([Node("node1", Point(T0 + (10 * S), 20))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 + (10 * S), 20))], _cluster);

        await Assert.That(snapshot.Nodes[0].CpuNanoCores).IsEqualTo(1_000_000_000UL);
    }

    [Test]
    public async Task Store_FailedNode_DisappearsAndNeedsTwoScrapesToReturn()
    {
        _store.Store([Node("node1", Point(T0, 10)), Node("node2", Point(T0, 10))], _cluster);
        var both = _store.Store([Node("node1", Point(T0 + (15 * S), 20)), Node("node2", Point(T0 + (15 * S), 20))], _cluster);
        var oneFailed = _store.Store([Node("node1", Point(T0 + (30 * S), 30)), Failed("node2")], _cluster);
        var backOnce = _store.Store([Node("node1", Point(T0 + (45 * S), 40)), Node("node2", Point(T0 + (45 * S), 40))], _cluster);
        var backTwice = _store.Store([Node("node1", Point(T0 + (60 * S), 50)), Node("node2", Point(T0 + (60 * S), 50))], _cluster);

        await Assert.That(both.Nodes.Length).IsEqualTo(2);
        await Assert.That(oneFailed.Nodes.Length).IsEqualTo(1);
        await Assert.That(oneFailed.FindNode("node2")).IsNull();
        await Assert.That(backOnce.Nodes.Length).IsEqualTo(1);
        await Assert.That(backTwice.Nodes.Length).IsEqualTo(2);
    }

    [Test]
    public async Task Store_NodeNotInClusterView_Omitted()
    {
        _store.Store([Node("node1", Point(T0, 10)), Node("ghost", Point(T0, 10))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 + (10 * S), 20)), Node("ghost", Point(T0 + (10 * S), 20))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(1);
        await Assert.That(snapshot.Nodes[0].Name).IsEqualTo("node1");
        await Assert.That(snapshot.NodePoints).IsEqualTo(2);
    }

    [Test]
    public async Task Store_DuplicateNodeResults_FirstWins()
    {
        _store.Store([Node("node1", Point(T0, 10)), Node("node1", Point(T0, 0))], _cluster);
        var snapshot = _store.Store([Node("node1", Point(T0 + (10 * S), 30)), Node("node1", Point(T0 + (10 * S), 11))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(1);
        await Assert.That(snapshot.Nodes[0].CpuNanoCores).IsEqualTo(2_000_000_000UL);
    }

    [Test]
    public async Task Store_Nodes_SortedOrdinallyByName()
    {
        var cluster = Everything("b", "a", "C", "a2");
        string[] names = ["b", "a", "C", "a2"];
        _store.Store([.. names.Select(n => Node(n, Point(T0, 10)))], cluster);
        var snapshot = _store.Store([.. names.Select(n => Node(n, Point(T0 + (10 * S), 20)))], cluster);

        await Assert.That(snapshot.Nodes.ToArray().Select(n => n.Name)).IsEquivalentTo(new[] { "C", "a", "a2", "b" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Store_NodeWithoutNodePoint_ForgottenButPodsKept()
    {
        _store.Store([Node("node1", Point(T0, 10))], _cluster);
        var snapshot = _store.Store([Node("node1", null)], _cluster);
        var again = _store.Store([Node("node1", Point(T0 + (20 * S), 30))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(0);
        await Assert.That(again.Nodes.Length).IsEqualTo(0);
    }
}
