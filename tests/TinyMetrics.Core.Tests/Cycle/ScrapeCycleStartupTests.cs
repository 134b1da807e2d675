using static TinyMetrics.Cycle.Tests.CycleHarness;

namespace TinyMetrics.Cycle.Tests;

/// <summary>
/// The start-up scrapes between the first tick and the second: every node and pod served once its kubelet's
/// timestamps advance, never from a zero window, only the pending nodes asked again, and the regular ticks
/// where they would have been.
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
        await using var running = await harness.StartAsync(TwoNodes());
        var afterFirst = harness.Cell.Current;
        var readyAfterFirst = harness.Health.StorageReady();
        var second = await harness.AfterWaitAsync(FirstStartup);

        await Assert.That(afterFirst.Nodes.Length).IsEqualTo(0);
        await Assert.That(readyAfterFirst).IsNotNull();
        await Assert.That(scraper.CallTimes).IsEquivalentTo(new[] { Start, Start + FirstStartup });
        await Assert.That(second.Startup).IsTrue();
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
    }

    [Test]
    public async Task RunAsync_TimestampNotAdvanced_OnlyThatNodeRetriedAndNotServedFromAZeroWindow()
    {
        var scraper = new ScriptedScraper()
            .Returns(BothNodes(T0, T0, cpuSeconds: 10))
            .Returns(BothNodes(T0 + 10 * S, T0, cpuSeconds: 10))   // node-b's kubelet has not refreshed yet
            .Returns(BothNodes(T0 + 12 * S, T0 + 12 * S, cpuSeconds: 16)[1]);
        var harness = new CycleHarness(scraper);
        await using var running = await harness.StartAsync(TwoNodes());
        await harness.AfterWaitAsync(FirstStartup);
        var partial = harness.Cell.Current;
        var retry = await harness.AfterWaitAsync(ScrapeCycle.StartupRetry);

        await Assert.That(partial.FindNode("node-a")).IsNotNull();
        await Assert.That(partial.FindNode("node-b")).IsNull();
        await Assert.That(partial.FindPod("ns", "api")).IsNull();
        await Assert.That(scraper.CallTimes).IsEquivalentTo(new[] { Start, Start + FirstStartup, Start + FirstStartup + ScrapeCycle.StartupRetry });
        await Assert.That(await scraper.NextCallAsync()).IsEquivalentTo(new[] { "node-a", "node-b" });
        await Assert.That(await scraper.NextCallAsync()).IsEquivalentTo(new[] { "node-a", "node-b" });
        await Assert.That(await scraper.NextCallAsync()).IsEquivalentTo(new[] { "node-b" });
        await Assert.That(retry.Results.Length).IsEqualTo(1);
        var snapshot = harness.Cell.Current;
        var node = snapshot.FindNode("node-b")!;
        await Assert.That(node.WindowNs).IsEqualTo(12 * S);
        await Assert.That(node.CpuNanoCores).IsEqualTo(500_000_000UL);
        await Assert.That(snapshot.FindPod("ns", "api")!.WindowNs).IsEqualTo(12 * S);
        // node-a, not asked again, keeps its point and its pod.
        await Assert.That(snapshot.FindNode("node-a")!.WindowNs).IsEqualTo(10 * S);
        await Assert.That(snapshot.FindPod("ns", "web")!.WindowNs).IsEqualTo(10 * S);
        await Assert.That(retry.NodePoints).IsEqualTo(2);
        await Assert.That(retry.ContainerPoints).IsEqualTo(2);
    }

    [Test]
    public async Task RunAsync_AfterStartup_FirstRegularTickRatesOverTheWholeResolutionFromTheFirstPoint()
    {
        var scraper = new ScriptedScraper()
            .Returns(BothNodes(T0, T0, cpuSeconds: 10))
            .Returns(BothNodes(T0 + 10 * S, T0 + 10 * S, cpuSeconds: 12))
            .Returns(BothNodes(T0 + 15 * S, T0 + 15 * S, cpuSeconds: 25));
        var harness = new CycleHarness(scraper);
        await using var running = await harness.StartAsync(TwoNodes());
        await harness.AfterWaitAsync(FirstStartup);
        harness.Time.Advance(Resolution - FirstStartup);
        var tick = await harness.NextReportAsync();

        // 15 s of CPU over the 15 s since the first tick's point, not 13 s over the 5 s since the start-up one.
        var snapshot = harness.Cell.Current;
        await Assert.That(tick.Startup).IsFalse();
        await Assert.That(snapshot.FindNode("node-b")!.WindowNs).IsEqualTo(15 * S);
        await Assert.That(snapshot.FindNode("node-b")!.CpuNanoCores).IsEqualTo(1_000_000_000UL);
        await Assert.That(snapshot.FindPod("ns", "api")!.WindowNs).IsEqualTo(15 * S);
        await Assert.That(snapshot.FindPod("ns", "api")!.Containers[0].CpuNanoCores).IsEqualTo(100_000_000UL);
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
        await using var running = await harness.StartAsync(TwoNodes());
        await harness.AfterWaitAsync(FirstStartup);
        var expected = new List<DateTimeOffset> { Start, Start + FirstStartup };
        for (var retry = 1; retry < ScrapeCycle.MaxStartupScrapes; retry++)
        {
            await harness.AfterWaitAsync(ScrapeCycle.StartupRetry);
            expected.Add(expected[^1] + ScrapeCycle.StartupRetry);
        }
        harness.Time.Advance(minute - (expected[^1] - Start));
        await harness.NextReportAsync();
        expected.Add(Start + minute);

        await Assert.That(scraper.CallTimes).IsEquivalentTo(expected);
        await Assert.That(harness.Cell.Current.Nodes.Length).IsEqualTo(0);
    }

    [Test]
    public async Task RunAsync_ResolutionShorterThanAKubeletRefresh_NoStartupScrape()
    {
        var scraper = new ScriptedScraper()
            .Returns(BothNodes(T0, T0, cpuSeconds: 10))
            .Returns(BothNodes(T0 + 8 * S, T0 + 8 * S, cpuSeconds: 14));
        var harness = new CycleHarness(scraper, "", TimeSpan.FromSeconds(8));
        await using var running = await harness.StartAsync(TwoNodes());
        harness.Time.Advance(TimeSpan.FromSeconds(8));
        await harness.NextReportAsync();

        await Assert.That(scraper.CallTimes).IsEquivalentTo(new[] { Start, Start + TimeSpan.FromSeconds(8) });
        await Assert.That(harness.Cell.Current.FindNode("node-a")!.WindowNs).IsEqualTo(8 * S);
    }
}
