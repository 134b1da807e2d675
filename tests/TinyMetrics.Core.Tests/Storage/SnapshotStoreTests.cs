namespace TinyMetrics.Storage.Tests;

public class SnapshotStoreTests
{
    [Test]
    public async Task Current_BeforePublish_IsEmpty()
    {
        ISnapshotSource source = new SnapshotStore();

        await Assert.That(source.Current).IsSameReferenceAs(MetricsSnapshot.Empty);
    }

    [Test]
    public async Task Publish_Snapshot_BecomesCurrent()
    {
        var store = new SnapshotStore();
        var next = new MetricsSnapshot([], [], 3, 4);

        store.Publish(next);

        await Assert.That(store.Current).IsSameReferenceAs(next);
        await Assert.That(store.Current.ContainerPoints).IsEqualTo(4);
    }
}
