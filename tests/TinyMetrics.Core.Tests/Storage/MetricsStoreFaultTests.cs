using static TinyMetrics.Storage.Tests.StoreHarness;

namespace TinyMetrics.Storage.Tests;

/// <summary>
/// Kubelet faults as storage sees them (metrics-server pkg/storage): timestamps going backwards keep a node and its
/// pods unserved; a counter going down without a new start time is no valid rate; each is said once per node and cycle.
/// </summary>
public class MetricsStoreFaultTests
{
    private readonly RecordingLogger _log = new();
    private readonly Discovery.ClusterView _cluster = Everything("node1");

    private MetricsStore NewStore() => new(Resolution, _log);

    [Test]
    public async Task TimestampsGoingBackwards_NeverServed_SaidOncePerCycle()
    {
        var store = NewStore();
        var start = T0 - (3600 * S);
        for (var i = 0; i < 4; i++)
        {
            var ts = T0 - (i * 10 * S);
            var snapshot = store.Store(
                [Node("node1", Point(ts, 100 - i), Container("ns", "p", "a", Point(ts, 50 - i, start: start)), Container("ns", "p", "b", Point(ts, 40 - i, start: start)))],
                _cluster);
            await Assert.That(snapshot.Nodes.Length).IsEqualTo(0);
            await Assert.That(snapshot.Pods.Length).IsEqualTo(0);
        }
        // Cycles 2..4: one stale line for the node point and one for its two containers.
        await Assert.That(_log.Count(2006)).IsEqualTo(6);
        await Assert.That(_log.Events.Where(e => e.Id == 2006).Any(e => e.Message.Contains('2'))).IsTrue();
    }

    [Test]
    public async Task CounterGoingBackwards_SameStart_NoRate_Logged()
    {
        var store = NewStore();
        var start = T0 - (3600 * S);
        store.Store([Node("node1", Point(T0, 100), Container("ns", "p", "a", Point(T0, 50, start: start)))], _cluster);
        var snapshot = store.Store([Node("node1", Point(T0 + (10 * S), 90), Container("ns", "p", "a", Point(T0 + (10 * S), 40, start: start)))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(0);
        // As upstream: the pod is listed, but the container without a valid rate is skipped.
        for (var i = 0; i < snapshot.Pods.Length; i++)
            await Assert.That(snapshot.Pods[i].Containers.Length).IsEqualTo(0);
        await Assert.That(_log.Count(2007)).IsEqualTo(1);
        await Assert.That(_log.Count(2008)).IsEqualTo(1);
        await Assert.That(_log.Events.Single(e => e.Id == 2007).Message).Contains("unexpected decrease in cumulative CPU usage value");
    }

    [Test]
    public async Task HealthyNode_NothingLogged()
    {
        var store = NewStore();
        var start = T0 - (3600 * S);
        store.Store([Node("node1", Point(T0, 100), Container("ns", "p", "a", Point(T0, 50, start: start)))], _cluster);
        var snapshot = store.Store([Node("node1", Point(T0 + (10 * S), 110), Container("ns", "p", "a", Point(T0 + (10 * S), 55, start: start)))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(1);
        var served = 0;
        for (var i = 0; i < snapshot.Pods.Length; i++)
            served += snapshot.Pods[i].Name == "p" ? snapshot.Pods[i].Containers.Length : 0;
        await Assert.That(served).IsEqualTo(1);
        await Assert.That(_log.Events).IsEmpty();
    }
}
