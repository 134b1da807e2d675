using TinyMetrics.Discovery;
using static TinyMetrics.Cycle.Tests.CycleHarness;

namespace TinyMetrics.Cycle.Tests;

public class HealthStateTests
{
    [Test]
    public async Task CollectionTimely_BeforeFirstTick_Passes()
    {
        var harness = new CycleHarness(new ScriptedScraper());

        harness.Time.Advance(TimeSpan.FromHours(1));

        await Assert.That(harness.Health.CollectionTimely()).IsNull();
    }

    [Test]
    public async Task CollectionTimely_TickOverdueByMoreThanOneAndAHalfResolutions_Fails()
    {
        var harness = new CycleHarness(new ScriptedScraper());
        harness.Cluster.Sync(TwoNodes());
        await harness.Cycle.RunOnceAsync(CancellationToken.None);

        harness.Time.Advance(TimeSpan.FromSeconds(22.5));
        var atLimit = harness.Health.CollectionTimely();
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var overdue = harness.Health.CollectionTimely();

        await Assert.That(atLimit).IsNull();
        await Assert.That(overdue).IsEqualTo("metric collection didn't finish on time");
    }

    [Test]
    public async Task StorageReady_UntilANodeAndAPodAreServable_FailsWithUpstreamsReason()
    {
        var scraper = new ScriptedScraper().Returns(NodeA(T0, 10, 1)).Returns(NodeA(T0 + 15 * S, 25, 4));
        var harness = new CycleHarness(scraper);
        harness.Cluster.Sync(TwoNodes());

        var before = harness.Health.StorageReady();
        await harness.Cycle.RunOnceAsync(CancellationToken.None);
        var afterOneScrape = harness.Health.StorageReady();
        await harness.Cycle.RunOnceAsync(CancellationToken.None);

        await Assert.That(before).IsEqualTo("no metrics to serve");
        await Assert.That(afterOneScrape).IsEqualTo("no metrics to serve");
        await Assert.That(harness.Health.StorageReady()).IsNull();
    }

    [Test]
    public async Task InformersSynced_FollowsTheClusterView()
    {
        var harness = new CycleHarness(new ScriptedScraper());

        var before = harness.Health.InformersSynced();
        var metadataBefore = harness.Health.MetadataInformerSynced();
        harness.Cluster.Sync(TwoNodes());

        await Assert.That(before).IsEqualTo("informers not synced");
        await Assert.That(metadataBefore).IsEqualTo("1 informers not started yet: [*v1.PartialObjectMetadata]");
        await Assert.That(harness.Health.InformersSynced()).IsNull();
        await Assert.That(harness.Health.MetadataInformerSynced()).IsNull();
    }

    [Test]
    public async Task NotShuttingDown_AfterShutdownStarted_Fails()
    {
        var harness = new CycleHarness(new ScriptedScraper());

        var before = harness.Health.NotShuttingDown();
        harness.Health.ShutdownStarted();

        await Assert.That(before).IsNull();
        await Assert.That(harness.Health.NotShuttingDown()).IsEqualTo("process is shutting down");
    }

    [Test]
    public async Task InformersSynced_OnlyNodesListed_StillFails()
    {
        var harness = new CycleHarness(new ScriptedScraper());
        harness.Cluster.Current = new ClusterView(TwoNodes().Nodes, TwoNodes().Pods, nodesSynced: true, podsSynced: false);

        await Assert.That(harness.Health.InformersSynced()).IsEqualTo("informers not synced");
    }
}
