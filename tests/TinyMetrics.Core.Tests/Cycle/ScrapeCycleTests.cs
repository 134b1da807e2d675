using static TinyMetrics.Cycle.Tests.CycleHarness;

namespace TinyMetrics.Cycle.Tests;

public class ScrapeCycleTests
{
    [Test]
    public async Task RunAsync_BeforeDiscoverySynced_DoesNotScrape()
    {
        var harness = new CycleHarness(new ScriptedScraper());
        using var stop = new CancellationTokenSource();
        var running = harness.Cycle.RunAsync(stop.Token);

        harness.Time.Advance(Resolution * 3);
        harness.Cluster.Sync(TwoNodes());
        // Had a cycle run before the sync, its call would have named no node (the empty view).
        var firstCall = await harness.Scraper.NextCallAsync();

        await Assert.That(firstCall).IsEquivalentTo(new[] { "node-a", "node-b" });
        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }

    [Test]
    public async Task RunAsync_AfterStartup_TicksEveryResolutionWithRatesFromTheStoredPoints()
    {
        var scraper = new ScriptedScraper()
            .Returns(NodeA(T0, nodeCpuSeconds: 10, containerCpuSeconds: 1))
            .Returns(NodeA(T0 + 10 * S, nodeCpuSeconds: 20, containerCpuSeconds: 3))
            .Returns(NodeA(T0 + 15 * S, nodeCpuSeconds: 25, containerCpuSeconds: 4))
            .Returns(NodeA(T0 + 30 * S, nodeCpuSeconds: 55, containerCpuSeconds: 10));
        var harness = new CycleHarness(scraper, "role=edge");
        using var stop = new CancellationTokenSource();
        var running = harness.Cycle.RunAsync(stop.Token);

        harness.Cluster.Sync(TwoNodes());
        await harness.NextReportAsync();
        await harness.Timers.SetAsync(ScrapeCycle.KubeletRefresh + ScrapeCycle.RefreshMargin);
        harness.Time.Advance(ScrapeCycle.KubeletRefresh + ScrapeCycle.RefreshMargin);
        await harness.NextReportAsync();
        harness.Time.Advance(Resolution - ScrapeCycle.KubeletRefresh - ScrapeCycle.RefreshMargin);
        var tick = await harness.NextReportAsync();
        var atTick = harness.Cell.Current;
        harness.Time.Advance(Resolution - TimeSpan.FromMilliseconds(1));
        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        await harness.NextReportAsync();

        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        await Assert.That(scraper.CallTimes).IsEquivalentTo(new[]
        {
            start, start + ScrapeCycle.KubeletRefresh + ScrapeCycle.RefreshMargin, start + Resolution, start + (2 * Resolution),
        });
        // The tick's rate is over the start-up point and its own: 5 s of kubelet time, 5 s of node CPU.
        await Assert.That(tick.NodePoints).IsEqualTo(1);
        await Assert.That(atTick.FindNode("node-a")!.WindowNs).IsEqualTo(5 * S);
        await Assert.That(atTick.FindNode("node-a")!.CpuNanoCores).IsEqualTo(1_000_000_000UL);
        await Assert.That(atTick.FindPod("ns", "web")!.Containers[0].CpuNanoCores).IsEqualTo(200_000_000UL);
        // Then every resolution, over the last two points as upstream: 30 s of CPU in 15 s.
        await Assert.That(harness.Cell.Current.FindNode("node-a")!.WindowNs).IsEqualTo(15 * S);
        await Assert.That(harness.Cell.Current.FindNode("node-a")!.CpuNanoCores).IsEqualTo(2_000_000_000UL);
        await Assert.That(harness.Cell.Current.FindNode("node-a")!.MemoryBytes).IsEqualTo(2_000_000_000UL);
        await Assert.That(harness.Cell.View.Rendered.Snapshot).IsSameReferenceAs(harness.Cell.Current);
        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }

    [Test]
    public async Task RunOnceAsync_NodeSelector_ScrapesOnlyMatchingNodes()
    {
        var harness = new CycleHarness(new ScriptedScraper(), "role=edge");
        harness.Cluster.Sync(TwoNodes());

        await harness.Cycle.RunOnceAsync(CancellationToken.None);

        await Assert.That(await harness.Scraper.NextCallAsync()).IsEquivalentTo(new[] { "node-a" });
    }

    [Test]
    public async Task RunOnceAsync_NoNodeSelector_ScrapesEveryNode()
    {
        var harness = new CycleHarness(new ScriptedScraper());
        harness.Cluster.Sync(TwoNodes());

        await harness.Cycle.RunOnceAsync(CancellationToken.None);

        await Assert.That(await harness.Scraper.NextCallAsync()).IsEquivalentTo(new[] { "node-a", "node-b" });
    }

    [Test]
    public async Task RunOnceAsync_ScrapeOutlivesResolution_IsCancelledAtTheResolution()
    {
        var harness = new CycleHarness(new ScriptedScraper().HangsUntilCancelled());
        harness.Cluster.Sync(TwoNodes());

        var cycle = harness.Cycle.RunOnceAsync(CancellationToken.None);
        await harness.Scraper.NextCallAsync();
        harness.Time.Advance(Resolution - TimeSpan.FromMilliseconds(1));
        await Assert.That(cycle.IsCompleted).IsFalse();
        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        await cycle.WaitAsync(Patience);
        var report = await harness.NextReportAsync();

        await Assert.That(harness.Scraper.SawCancellation).IsTrue();
        await Assert.That(report.Results.Length).IsEqualTo(2);
        await Assert.That(report.Results[0].Succeeded).IsFalse();
    }

    [Test]
    public async Task RunOnceAsync_BrokenCycle_KeepsTheLastSnapshotAndTheNextCycleRuns()
    {
        var scraper = new ScriptedScraper()
            .Returns(NodeA(T0, 10, 1))
            .Returns(NodeA(T0 + 15 * S, 25, 4))
            .Throws()
            .Returns(NodeA(T0 + 45 * S, 55, 10));
        var harness = new CycleHarness(scraper);
        harness.Cluster.Sync(TwoNodes());

        await harness.Cycle.RunOnceAsync(CancellationToken.None);
        await harness.Cycle.RunOnceAsync(CancellationToken.None);
        var served = harness.Cell.View;
        await harness.Cycle.RunOnceAsync(CancellationToken.None);
        var afterBroken = harness.Cell.View;
        await harness.Cycle.RunOnceAsync(CancellationToken.None);

        await Assert.That(afterBroken).IsSameReferenceAs(served);
        await Assert.That(served.Rendered.Snapshot.FindNode("node-a")!.CpuNanoCores).IsEqualTo(1_000_000_000UL);
        // 25 s → 55 s of CPU over 30 s of kubelet time: the broken cycle did not lose the older point.
        await Assert.That(harness.Cell.Current.FindNode("node-a")!.CpuNanoCores).IsEqualTo(1_000_000_000UL);
        await Assert.That(harness.Cell.Current.FindNode("node-a")!.WindowNs).IsEqualTo(30 * S);
    }

    [Test]
    public async Task RunOnceAsync_FailedNode_DisappearsFromTheNextSnapshot()
    {
        var scraper = new ScriptedScraper()
            .Returns(NodeA(T0, 10, 1))
            .Returns(NodeA(T0 + 15 * S, 25, 4))
            .Returns(Failed("node-a"));
        var harness = new CycleHarness(scraper);
        harness.Cluster.Sync(TwoNodes());

        await harness.Cycle.RunOnceAsync(CancellationToken.None);
        await harness.Cycle.RunOnceAsync(CancellationToken.None);
        await Assert.That(harness.Cell.Current.FindNode("node-a")).IsNotNull();
        await harness.Cycle.RunOnceAsync(CancellationToken.None);

        await Assert.That(harness.Cell.Current.FindNode("node-a")).IsNull();
        await Assert.That(harness.Cell.Current.FindPod("ns", "web")).IsNull();
    }
}
