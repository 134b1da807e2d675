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
        // Upstream's keys: the container and its pod (the node's first refused one here), then the node and the count.
        await Assert.That(_log.Events.Single(e => e.Id == 2008).Message).IsEqualTo("Skipping container usage metric a ns/p node1 1 unexpected decrease in cumulative CPU usage value");
    }

    [Test]
    public async Task StalePointNewerThanPrev_KeepsPrev_RateAgainstIt()
    {
        // pkg/storage: a point older than last but newer than prev becomes last and keeps prev (no V(2) drop upstream).
        var store = NewStore();
        var start = T0 - (3600 * S);
        store.Store([Node("node1", Point(T0, 100), Container("ns", "p", "a", Point(T0, 50, start: start)))], _cluster);
        store.Store([Node("node1", Point(T0 + (20 * S), 120), Container("ns", "p", "a", Point(T0 + (20 * S), 70, start: start)))], _cluster);
        var snapshot = store.Store([Node("node1", Point(T0 + (10 * S), 105), Container("ns", "p", "a", Point(T0 + (10 * S), 52, start: start)))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(1);
        await Assert.That(snapshot.Nodes[0].TimestampNs).IsEqualTo(T0 + (10 * S));
        await Assert.That(snapshot.Nodes[0].WindowNs).IsEqualTo(10 * S);
        await Assert.That(snapshot.Nodes[0].CpuNanoCores).IsEqualTo(500_000_000UL);
        var pod = snapshot.Pods.ToArray().Single(p => p.Name == "p" && p.Namespace == "ns");
        await Assert.That(pod.Containers.Single().CpuNanoCores).IsEqualTo(200_000_000UL);
    }

    [Test]
    public async Task StalePointNotNewerThanPrev_DropsPrev_NotServed()
    {
        var store = NewStore();
        store.Store([Node("node1", Point(T0, 100))], _cluster);
        store.Store([Node("node1", Point(T0 + (10 * S), 110))], _cluster);
        var snapshot = store.Store([Node("node1", Point(T0 - (5 * S), 90))], _cluster);

        await Assert.That(snapshot.Nodes.Length).IsEqualTo(0);
        await Assert.That(_log.Count(2006)).IsEqualTo(1);
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
