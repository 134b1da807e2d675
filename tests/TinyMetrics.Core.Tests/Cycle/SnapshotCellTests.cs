using TinyMetrics.Discovery;
using TinyMetrics.Rendering;
using TinyMetrics.Storage;

namespace TinyMetrics.Cycle.Tests;

public class SnapshotCellTests
{
    [Test]
    public async Task Current_BeforePublish_IsEmptyAndNotReady()
    {
        var published = new SnapshotCell();

        await Assert.That(published.Current.IsReady).IsFalse();
        await Assert.That(published.View.OldestTimestampNs).IsEqualTo(0);
    }

    [Test]
    public async Task Publish_Snapshot_ReadersSeeItWithOldestTimestamp()
    {
        var published = new SnapshotCell();
        var snapshot = new MetricsSnapshot(
            [new NodeMetricsValue("a", LabelSet.Empty, 2_000, 15, 1, 1), new NodeMetricsValue("b", LabelSet.Empty, 1_000, 15, 1, 1)],
            [new PodMetricsValue("ns", "p", LabelSet.Empty, 0, 0, [])],
            nodePoints: 2, containerPoints: 0);

        var before = published.View;
        published.Publish(RenderedSnapshot.Render(snapshot));

        await Assert.That(published.Current).IsSameReferenceAs(snapshot);
        await Assert.That(published.View.OldestTimestampNs).IsEqualTo(1_000);
        await Assert.That(before.Rendered.Snapshot.Nodes.Length).IsEqualTo(0);
    }
}
