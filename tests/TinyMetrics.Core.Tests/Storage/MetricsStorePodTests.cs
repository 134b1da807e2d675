using static TinyMetrics.Storage.Tests.StoreHarness;
using TinyMetrics.Parsing;

namespace TinyMetrics.Storage.Tests;

/// <summary>Storage rules for pods and containers (metrics-server pkg/storage/pod.go), the cases of upstream's pod_test.go.</summary>
public class MetricsStorePodTests
{
    private static readonly MetricPoint NodePoint = Point(T0, 100);
    private readonly MetricsStore _store = new(Resolution);
    private readonly Discovery.ClusterView _cluster = Everything("node1");

    private MetricsSnapshot Store(params Parsing.ContainerSample[] containers) =>
        _store.Store([Node("node1", NodePoint, containers)], _cluster);

    [Test]
    public async Task Store_TwoPoints_ContainerRate()
    {
        Store(Container("ns", "p", "c", Point(T0, 10, memory: 100)));
        var snapshot = Store(Container("ns", "p", "c", Point(T0 + (10 * S), 20, memory: 200)));

        var pod = snapshot.FindPod("ns", "p");
        await Assert.That(pod).IsNotNull();
        await Assert.That(pod!.TimestampNs).IsEqualTo(T0 + (10 * S));
        await Assert.That(pod.WindowNs).IsEqualTo(10 * S);
        await Assert.That(pod.Containers).IsEquivalentTo(new[] { new ContainerMetricsValue("c", 1_000_000_000, 200) });
        await Assert.That(pod.Labels.TryGetValue("app", out var app)).IsTrue();
        await Assert.That(app).IsEqualTo("p");
        await Assert.That(snapshot.ContainerPoints).IsEqualTo(1);
    }

    [Test]
    public async Task Store_RepeatedPoint_NotServable()
    {
        Store(Container("ns", "p", "c", Point(T0, 10)));
        var snapshot = Store(Container("ns", "p", "c", Point(T0, 10)));

        await Assert.That(snapshot.Pods.Length).IsEqualTo(0);
        await Assert.That(snapshot.ContainerPoints).IsEqualTo(0);
    }

    [Test]
    public async Task Store_PointBetweenPrevAndLast_KeepsPrev()
    {
        Store(Container("ns", "p", "c", Point(T0, 10)));
        Store(Container("ns", "p", "c", Point(T0 + (20 * S), 60)));
        var snapshot = Store(Container("ns", "p", "c", Point(T0 + (10 * S), 35)));

        await Assert.That(snapshot.FindPod("ns", "p")!.Containers[0].CpuNanoCores).IsEqualTo(2_500_000_000UL);
    }

    [Test]
    public async Task Store_PointOlderThanPrev_NotServable()
    {
        Store(Container("ns", "p", "c", Point(T0, 10)));
        Store(Container("ns", "p", "c", Point(T0 + (10 * S), 20)));
        var snapshot = Store(Container("ns", "p", "c", Point(T0 - S, 5)));

        await Assert.That(snapshot.FindPod("ns", "p")).IsNull();
    }

    [Test]
    public async Task Store_ZeroStartTime_TreatedAsSameContainer()
    {
        Store(Container("ns", "p", "c", Point(T0, 10, start: 0)));
        var snapshot = Store(Container("ns", "p", "c", Point(T0 + (10 * S), 15, start: 0)));

        await Assert.That(snapshot.FindPod("ns", "p")!.Containers[0].CpuNanoCores).IsEqualTo(500_000_000UL);
    }

    [Test]
    public async Task Store_CpuDecreaseInOneContainer_SkipsItButReturnsPod()
    {
        var start = T0 - (3600 * S);
        Store(Container("ns", "p", "a", Point(T0, 10, start: start)), Container("ns", "p", "b", Point(T0, 50, start: start)));
        var snapshot = Store(Container("ns", "p", "a", Point(T0 + (10 * S), 20, start: start)), Container("ns", "p", "b", Point(T0 + (10 * S), 40, start: start)));

        var pod = snapshot.FindPod("ns", "p")!;
        await Assert.That(pod.Containers.Length).IsEqualTo(1);
        await Assert.That(pod.Containers[0].Name).IsEqualTo("a");
        await Assert.That(snapshot.ContainerPoints).IsEqualTo(2);
    }

    [Test]
    public async Task Store_EveryContainerDecreased_PodReturnedEmptyWithZeroTime()
    {
        Store(Container("ns", "p", "c", Point(T0, 50)));
        var snapshot = Store(Container("ns", "p", "c", Point(T0 + (10 * S), 40)));

        var pod = snapshot.FindPod("ns", "p")!;
        await Assert.That(pod.Containers.Length).IsEqualTo(0);
        await Assert.That(pod.TimestampNs).IsEqualTo(0L);
        await Assert.That(pod.WindowNs).IsEqualTo(0L);
        await Assert.That(snapshot.IsReady).IsFalse();
    }

    [Test]
    public async Task Store_StartTimeDecrease_ContainerSkipped()
    {
        Store(Container("ns", "p", "c", Point(T0, 10, start: T0 - (100 * S))));
        var snapshot = Store(Container("ns", "p", "c", Point(T0 + (10 * S), 20, start: T0 - (200 * S))));

        await Assert.That(snapshot.FindPod("ns", "p")!.Containers.Length).IsEqualTo(0);
    }

    [Test]
    public async Task Store_ContainersWithDifferentTimes_PodTakesEarliestContainersTimeAndWindow()
    {
        Store(Container("ns", "p", "late", Point(T0, 10)), Container("ns", "p", "early", Point(T0 + (110 * S), 10)));
        var snapshot = Store(Container("ns", "p", "late", Point(T0 + (130 * S), 20)), Container("ns", "p", "early", Point(T0 + (120 * S), 20)));

        var pod = snapshot.FindPod("ns", "p")!;
        await Assert.That(pod.TimestampNs).IsEqualTo(T0 + (120 * S));
        await Assert.That(pod.WindowNs).IsEqualTo(10 * S);
        await Assert.That(pod.Containers[0].Name).IsEqualTo("early");
        await Assert.That(pod.Containers[1].Name).IsEqualTo("late");
    }

    [Test]
    [Arguments(10, true)]
    [Arguments(14, true)]
    [Arguments(9, false)]
    [Arguments(15, false)]
    [Arguments(-1, false)]
    public async Task Store_FreshContainer_ServedAfterOneScrapeOnlyWhenTenSecondsToResolutionOld(int ageSeconds, bool served)
    {
        var snapshot = Store(Container("ns", "p", "c", Point(T0, 5, start: T0 - (ageSeconds * S))));

        var pod = snapshot.FindPod("ns", "p");
        await Assert.That(pod is not null).IsEqualTo(served);
        if (pod is not null)
        {
            await Assert.That(pod.WindowNs).IsEqualTo(ageSeconds * S);
            await Assert.That(pod.Containers[0].CpuNanoCores).IsEqualTo((ulong)(5 * S / ageSeconds));
        }
    }

    [Test]
    public async Task Store_LongRunningContainer_NeedsTwoCycles()
    {
        var start = T0 - (3600 * S);
        var first = Store(Container("ns", "p", "c", Point(T0, 100, start: start)));
        var second = Store(Container("ns", "p", "c", Point(T0 + (15 * S), 115, start: start)));

        await Assert.That(first.FindPod("ns", "p")).IsNull();
        await Assert.That(second.FindPod("ns", "p")!.Containers[0].CpuNanoCores).IsEqualTo(1_000_000_000UL);
    }

    [Test]
    public async Task Store_RestartedContainerScrapedTenSecondsAfterStart_WindowFromStartTime()
    {
        var start = T0 - (3600 * S);
        Store(Container("ns", "p", "c", Point(T0, 100, start: start)));
        Store(Container("ns", "p", "c", Point(T0 + (10 * S), 110, start: start)));
        var snapshot = Store(Container("ns", "p", "c", Point(T0 + (25 * S), 5, start: T0 + (15 * S))));

        var pod = snapshot.FindPod("ns", "p")!;
        await Assert.That(pod.Containers[0].CpuNanoCores).IsEqualTo(500_000_000UL);
        await Assert.That(pod.WindowNs).IsEqualTo(10 * S);
        await Assert.That(pod.TimestampNs).IsEqualTo(T0 + (25 * S));
    }

    [Test]
    public async Task Store_RestartedContainerOlderThanResolution_NotServedUntilNextCycle()
    {
        var start = T0 - (3600 * S);
        Store(Container("ns", "p", "c", Point(T0, 100, start: start)));
        var restarted = Store(Container("ns", "p", "c", Point(T0 + (30 * S), 5, start: T0 + (12 * S))));
        var next = Store(Container("ns", "p", "c", Point(T0 + (45 * S), 20, start: T0 + (12 * S))));

        await Assert.That(restarted.FindPod("ns", "p")).IsNull();
        await Assert.That(next.FindPod("ns", "p")!.Containers[0].CpuNanoCores).IsEqualTo(1_000_000_000UL);
    }

    [Test]
    public async Task Store_ContainerMissingPrev_DropsWholePod()
    {
        var start = T0 - (3600 * S);
        Store(Container("ns", "p", "a", Point(T0, 10, start: start)));
        var added = Store(Container("ns", "p", "a", Point(T0 + (15 * S), 20, start: start)), Container("ns", "p", "b", Point(T0 + (15 * S), 5, start: start)));
        var later = Store(Container("ns", "p", "a", Point(T0 + (30 * S), 30, start: start)), Container("ns", "p", "b", Point(T0 + (30 * S), 20, start: start)));

        await Assert.That(added.FindPod("ns", "p")).IsNull();
        await Assert.That(added.ContainerPoints).IsEqualTo(1);
        await Assert.That(later.FindPod("ns", "p")!.Containers.Length).IsEqualTo(2);
    }

    [Test]
    public async Task Store_ContainerAbsentFromNewestBatch_IsForgotten()
    {
        Store(Container("ns", "p", "c", Point(T0, 10)));
        Store(Container("ns", "q", "c", Point(T0 + (15 * S), 10)));
        var back = Store(Container("ns", "p", "c", Point(T0 + (30 * S), 40)));

        await Assert.That(back.FindPod("ns", "p")).IsNull();
    }

    [Test]
    public async Task Store_PodNotRunningInClusterView_Omitted()
    {
        Store(Container("ns", "p", "c", Point(T0, 10)), Container("ns", "gone", "c", Point(T0, 10)));
        var snapshot = Store(Container("ns", "p", "c", Point(T0 + (10 * S), 20)), Container("ns", "gone", "c", Point(T0 + (10 * S), 20)));

        await Assert.That(snapshot.Pods.Length).IsEqualTo(1);
        await Assert.That(snapshot.FindPod("ns", "gone")).IsNull();
        await Assert.That(snapshot.ContainerPoints).IsEqualTo(2);
    }

    [Test]
    public async Task Store_SamePodFromTwoNodes_FirstNodeWins()
    {
        var cluster = Everything("node1", "node2");
        _store.Store([Node("node1", NodePoint, Container("ns", "p", "c", Point(T0, 10))), Node("node2", NodePoint, Container("ns", "p", "c", Point(T0, 0)), Container("ns", "p", "x", Point(T0, 0)))], cluster);
        var snapshot = _store.Store(
            [Node("node1", NodePoint, Container("ns", "p", "c", Point(T0 + (10 * S), 30))), Node("node2", NodePoint, Container("ns", "p", "c", Point(T0 + (10 * S), 99)), Container("ns", "p", "x", Point(T0 + (10 * S), 99)))],
            cluster);

        var pod = snapshot.FindPod("ns", "p")!;
        await Assert.That(pod.Containers).IsEquivalentTo(new[] { new ContainerMetricsValue("c", 2_000_000_000, 1024) });
    }

    [Test]
    public async Task Store_PodsAcrossNamespaces_SortedByNamespaceThenName()
    {
        var cluster = Cluster(["node1"], [("b", "a"), ("a", "z"), ("a", "B"), ("A", "y")]);
        (string Ns, string Pod)[] order = [("b", "a"), ("a", "z"), ("a", "B"), ("A", "y")];
        _store.Store([Node("node1", NodePoint, [.. order.Select(p => Container(p.Ns, p.Pod, "c", Point(T0, 1)))])], cluster);
        var snapshot = _store.Store([Node("node1", NodePoint, [.. order.Select(p => Container(p.Ns, p.Pod, "c", Point(T0 + (10 * S), 2)))])], cluster);

        string[] expected = ["A/y", "a/B", "a/z", "b/a"];
        await Assert.That(snapshot.Pods.ToArray().Select(p => $"{p.Namespace}/{p.Name}")).IsEquivalentTo(expected, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(snapshot.PodsIn("a").Length).IsEqualTo(2);
    }

    [Test]
    public async Task Store_ContainersOfAPod_SortedByName()
    {
        string[] names = ["web", "Sidecar", "agent", "web2"];
        Store([.. names.Select(n => Container("ns", "p", n, Point(T0, 1)))]);
        var snapshot = Store([.. names.Select(n => Container("ns", "p", n, Point(T0 + (10 * S), 2)))]);

        string[] expected = ["Sidecar", "agent", "web", "web2"];
        await Assert.That(snapshot.FindPod("ns", "p")!.Containers.Select(c => c.Name)).IsEquivalentTo(expected, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }
}
