using static TinyMetrics.Cycle.Tests.CycleHarness;

namespace TinyMetrics.Cycle.Tests;

/// <summary>
/// The start-up scrapes between the first tick and the second: every node and pod served once its kubelet's
/// timestamps advance, never from a zero window, and the regular ticks where they would have been.
/// </summary>
public class ScrapeCycleStartupTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly TimeSpan FirstStartup = ScrapeCycle.KubeletRefresh + ScrapeCycle.RefreshMargin;

    [Test]
    public async Task RunAsync_SecondPointAfterOneKubeletRefresh_FirstSnapshotCompleteBeforeTheFirstTick()
    {
        var scraper = new ScriptedScraper()
            .Returns(BothNodes(T0, T0, cpuSeconds: 10))
            .Returns(BothNodes(T0 + 10 * S, T0 + 10 * S, cpuSeconds: 15));
        var harness = new CycleHarness(scraper);
        using var stop = new CancellationTokenSource();
        var running = harness.Cycle.RunAsync(stop.Token);

        harness.Cluster.Sync(TwoNodes());
        await harness.NextReportAsync();
        var afterFirst = harness.Cell.Current;
        var readyAfterFirst = harness.Health.StorageReady();
        await harness.Timers.SetAsync(FirstStartup);
        harness.Time.Advance(FirstStartup);
        var second = await harness.NextReportAsync();

        await Assert.That(afterFirst.Nodes.Length).IsEqualTo(0);
        await Assert.That(readyAfterFirst).IsNotNull();
        await Assert.That(scraper.CallTimes).IsEquivalentTo(new[] { Start, Start + FirstStartup });
        await Assert.That(second.NodePoints).IsEqualTo(2);
        var snapshot = harness.Cell.Current;
        await Assert.That(snapshot.Nodes.Length).IsEqualTo(2);
        await Assert.That(snapshot.Pods.Length).IsEqualTo(2);
        // 5 s of CPU over 10 s of kubelet time; the container 0.5 s over the same 10 s.
        await Assert.That(snapshot.FindNode("node-b")!.CpuNanoCores).IsEqualTo(500_000_000UL);
        await Assert.That(snapshot.FindNode("node-b")!.WindowNs).IsEqualTo(10 * S);
        await Assert.That(snapshot.FindPod("ns", "api")!.Containers[0].CpuNanoCores).IsEqualTo(50_000_000UL);
        await Assert.That(snapshot.FindPod("ns", "api")!.WindowNs).IsEqualTo(10 * S);
        await Assert.That(harness.Health.StorageReady()).IsNull();
        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }

    [Test]
    public async Task RunAsync_TimestampNotAdvanced_NodeRetriedNotServedFromAZeroWindow()
    {
        var scraper = new ScriptedScraper()
            .Returns(BothNodes(T0, T0, cpuSeconds: 10))
            .Returns(BothNodes(T0 + 10 * S, T0, cpuSeconds: 10))   // node-b's kubelet has not refreshed yet
            .Returns(BothNodes(T0 + 12 * S, T0 + 12 * S, cpuSeconds: 16));
        var harness = new CycleHarness(scraper);
        using var stop = new CancellationTokenSource();
        var running = harness.Cycle.RunAsync(stop.Token);

        harness.Cluster.Sync(TwoNodes());
        await harness.NextReportAsync();
        await harness.Timers.SetAsync(FirstStartup);
        harness.Time.Advance(FirstStartup);
        await harness.NextReportAsync();
        var partial = harness.Cell.Current;
        await harness.Timers.SetAsync(ScrapeCycle.StartupRetry);
        harness.Time.Advance(ScrapeCycle.StartupRetry);
        await harness.NextReportAsync();

        await Assert.That(partial.FindNode("node-a")).IsNotNull();
        await Assert.That(partial.FindNode("node-b")).IsNull();
        await Assert.That(partial.FindPod("ns", "api")).IsNull();
        await Assert.That(scraper.CallTimes).IsEquivalentTo(new[] { Start, Start + FirstStartup, Start + FirstStartup + ScrapeCycle.StartupRetry });
        var node = harness.Cell.Current.FindNode("node-b")!;
        await Assert.That(node.WindowNs).IsEqualTo(12 * S);
        await Assert.That(node.CpuNanoCores).IsEqualTo(500_000_000UL);
        await Assert.That(harness.Cell.Current.FindPod("ns", "api")!.WindowNs).IsEqualTo(12 * S);
        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }

    [Test]
    public async Task RunAsync_TimestampsNeverAdvance_StartupScrapesStopAtTheirBoundThenTheTickComes()
    {
        var minute = TimeSpan.FromSeconds(60);
        var stuck = BothNodes(T0, T0, cpuSeconds: 10);
        var scraper = new ScriptedScraper();
        for (var i = 0; i < 2 + ScrapeCycle.MaxStartupScrapes; i++)
            scraper.Returns(stuck);
        var harness = new CycleHarness(scraper, "", minute);
        using var stop = new CancellationTokenSource();
        var running = harness.Cycle.RunAsync(stop.Token);

        harness.Cluster.Sync(TwoNodes());
        await harness.NextReportAsync();
        await harness.Timers.SetAsync(FirstStartup);
        harness.Time.Advance(FirstStartup);
        await harness.NextReportAsync();
        var expected = new List<DateTimeOffset> { Start, Start + FirstStartup };
        for (var retry = 1; retry < ScrapeCycle.MaxStartupScrapes; retry++)
        {
            await harness.Timers.SetAsync(ScrapeCycle.StartupRetry);
            harness.Time.Advance(ScrapeCycle.StartupRetry);
            await harness.NextReportAsync();
            expected.Add(expected[^1] + ScrapeCycle.StartupRetry);
        }
        harness.Time.Advance(minute - (expected[^1] - Start));
        await harness.NextReportAsync();
        expected.Add(Start + minute);

        await Assert.That(scraper.CallTimes).IsEquivalentTo(expected);
        await Assert.That(harness.Cell.Current.Nodes.Length).IsEqualTo(0);
        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }

    [Test]
    public async Task RunAsync_ResolutionShorterThanAKubeletRefresh_NoStartupScrape()
    {
        var scraper = new ScriptedScraper()
            .Returns(BothNodes(T0, T0, cpuSeconds: 10))
            .Returns(BothNodes(T0 + 8 * S, T0 + 8 * S, cpuSeconds: 14));
        var harness = new CycleHarness(scraper, "", TimeSpan.FromSeconds(8));
        using var stop = new CancellationTokenSource();
        var running = harness.Cycle.RunAsync(stop.Token);

        harness.Cluster.Sync(TwoNodes());
        await harness.NextReportAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(8));
        await harness.NextReportAsync();

        await Assert.That(scraper.CallTimes).IsEquivalentTo(new[] { Start, Start + TimeSpan.FromSeconds(8) });
        await Assert.That(harness.Cell.Current.FindNode("node-a")!.WindowNs).IsEqualTo(8 * S);
        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }
}
