using System.Collections.Frozen;
using TinyMetrics.Discovery;
using static TinyMetrics.Cycle.Tests.CycleHarness;

namespace TinyMetrics.Cycle.Tests;

/// <summary>As metrics-server serves from its informers: a node or pod the cluster view drops is not served from then on, without waiting for a cycle.</summary>
public class ScrapeCycleDeletionTests
{
    [Test]
    public async Task RunAsync_ViewDropsAPodAndANodeBetweenCycles_ServedSnapshotDropsThemWithoutAScrape()
    {
        var scraper = new ScriptedScraper()
            .Returns(BothNodes(T0, T0, cpuSeconds: 10))
            .Returns(BothNodes(T0 + 10 * S, T0 + 10 * S, cpuSeconds: 20));
        var harness = new CycleHarness(scraper);
        using var stop = new CancellationTokenSource();
        var running = harness.Cycle.RunAsync(stop.Token);
        harness.Cluster.Sync(TwoNodes());
        await harness.NextReportAsync();
        await harness.Timers.SetAsync(ScrapeCycle.KubeletRefresh + ScrapeCycle.RefreshMargin);
        harness.Time.Advance(ScrapeCycle.KubeletRefresh + ScrapeCycle.RefreshMargin);
        await harness.NextReportAsync();
        var full = harness.Cell.Current;

        harness.Cluster.Current = Drop(TwoNodes(), pod: "web", node: "node-b");
        var deadline = DateTime.UtcNow + Patience;
        while (harness.Cell.Current.Pods.Length != 1 && DateTime.UtcNow < deadline)
            await Task.Delay(5);
        var pruned = harness.Cell.Current;

        await Assert.That(full.Pods.Length).IsEqualTo(2);
        await Assert.That(full.Nodes.Length).IsEqualTo(2);
        await Assert.That(pruned.FindPod("ns", "web")).IsNull();
        await Assert.That(pruned.FindPod("ns", "api")).IsEqualTo(full.FindPod("ns", "api"));
        await Assert.That(pruned.FindNode("node-b")).IsNull();
        await Assert.That(pruned.FindNode("node-a")).IsEqualTo(full.FindNode("node-a"));
        // No clock advanced and no scrape ran: the view's change alone did it.
        await Assert.That(scraper.CallTimes.Count).IsEqualTo(2);
        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }

    [Test]
    public async Task RunOnceAsync_PodDeletedWhileTheScrapeRuns_CycleDoesNotServeIt()
    {
        var scraper = new ScriptedScraper();
        var harness = new CycleHarness(scraper);
        scraper.Returns(BothNodes(T0, T0, cpuSeconds: 10))
            .Returns(BothNodes(T0 + 10 * S, T0 + 10 * S, cpuSeconds: 20))
            .ReturnsAfter(() => harness.Cluster.Current = Drop(TwoNodes(), pod: "web", node: null),
                BothNodes(T0 + 20 * S, T0 + 20 * S, cpuSeconds: 30));
        harness.Cluster.Current = TwoNodes();
        await harness.Cycle.RunOnceAsync(CancellationToken.None);
        await harness.Cycle.RunOnceAsync(CancellationToken.None);
        var before = harness.Cell.Current;

        // The third cycle took its view with ns/web in it; the deletion came while its kubelets answered.
        await harness.Cycle.RunOnceAsync(CancellationToken.None);

        await Assert.That(before.FindPod("ns", "web")).IsNotNull();
        await Assert.That(harness.Cell.Current.FindPod("ns", "web")).IsNull();
        await Assert.That(harness.Cell.Current.FindPod("ns", "api")!.TimestampNs).IsEqualTo(T0 + 20 * S);
    }

    private static ClusterView Drop(ClusterView view, string pod, string? node) => new(
        view.Nodes.Where(n => n.Key != node).ToFrozenDictionary(),
        view.Pods.Where(p => p.Key.Name != pod).ToFrozenDictionary(),
        nodesSynced: true, podsSynced: true);
}
