using System.Buffers;
using System.Collections.Frozen;
using System.IO.Pipelines;
using TinyMetrics.Discovery;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering.Tests;

public class RenderedSnapshotWithoutTests
{
    private static readonly long Now = Samples.Unix("2026-12-03T09:30:07Z");

    [Test]
    public async Task Without_ViewLacksSomeNodesAndPods_ServesExactlyWhatARenderOfTheRestServes()
    {
        var snapshot = RandomSnapshots.Create(seed: 21, nodeCount: 30, podCount: 600);
        var rendered = RenderedSnapshot.Render(snapshot);
        // Gone: every third node and every seventh pod, the first and the last among them.
        var nodes = snapshot.Nodes.ToArray().Where((_, i) => i % 3 != 0).ToArray();
        var pods = snapshot.Pods.ToArray().Where((_, i) => i % 7 != 0 && i != snapshot.Pods.Length - 1).ToArray();
        var expected = RenderedSnapshot.Render(new MetricsSnapshot(nodes, pods, snapshot.NodePoints, snapshot.ContainerPoints));

        var pruned = rendered.Without(ViewOf(nodes, pods));

        await Assert.That(pruned.Snapshot.Nodes.ToArray()).IsEquivalentTo(nodes);
        await Assert.That(pruned.Snapshot.Pods.ToArray()).IsEquivalentTo(pods);
        await Assert.That(pruned.RenderedBytes).IsEqualTo(expected.RenderedBytes);
        LabelSelector.TryParse("app=a", out var app, out _);
        foreach (var labels in new[] { null, app })
        {
            await Assert.That(await ListAsync(w => pruned.WriteNodeListAsync(w, ApiVersion.V1, Now, labels)))
                .IsEqualTo(await ListAsync(w => expected.WriteNodeListAsync(w, ApiVersion.V1, Now, labels)));
            await Assert.That(await ListAsync(w => pruned.WritePodListAsync(w, ApiVersion.V1Beta1, Now, null, labels)))
                .IsEqualTo(await ListAsync(w => expected.WritePodListAsync(w, ApiVersion.V1Beta1, Now, null, labels)));
            await Assert.That(await ListAsync(w => pruned.WritePodListProtobufAsync(w, ApiVersion.V1, Now, null, labels)))
                .IsEqualTo(await ListAsync(w => expected.WritePodListProtobufAsync(w, ApiVersion.V1, Now, null, labels)));
            await Assert.That(await ListAsync(w => pruned.WriteNodeListProtobufAsync(w, ApiVersion.V1, Now, labels)))
                .IsEqualTo(await ListAsync(w => expected.WriteNodeListProtobufAsync(w, ApiVersion.V1, Now, labels)));
        }
        var gone = snapshot.Pods[7];
        var kept = pods[^1];
        await Assert.That(pruned.WritePod(new ArrayBufferWriter<byte>(), ApiVersion.V1, Now, gone.Namespace, gone.Name)).IsFalse();
        await Assert.That(Item(b => pruned.WritePod(b, ApiVersion.V1, Now, kept.Namespace, kept.Name)))
            .IsEqualTo(Item(b => expected.WritePod(b, ApiVersion.V1, Now, kept.Namespace, kept.Name)));
        await Assert.That(Item(b => pruned.WritePodProtobuf(b, ApiVersion.V1, Now, kept.Namespace, kept.Name)))
            .IsEqualTo(Item(b => expected.WritePodProtobuf(b, ApiVersion.V1, Now, kept.Namespace, kept.Name)));
        await Assert.That(pruned.WriteNode(new ArrayBufferWriter<byte>(), ApiVersion.V1, Now, snapshot.Nodes[0].Name)).IsFalse();
    }

    [Test]
    public async Task Without_ViewHasEverything_IsTheSameInstance()
    {
        var snapshot = RandomSnapshots.Create(seed: 22, nodeCount: 5, podCount: 40);
        var rendered = RenderedSnapshot.Render(snapshot);

        await Assert.That(rendered.Without(ViewOf(snapshot.Nodes.ToArray(), snapshot.Pods.ToArray()))).IsSameReferenceAs(rendered);
    }

    [Test]
    public async Task Without_ViewLacksEverything_ServesEmptyLists()
    {
        var rendered = RenderedSnapshot.Render(RandomSnapshots.Create(seed: 23, nodeCount: 4, podCount: 10));

        var pruned = rendered.Without(ViewOf([], []));

        await Assert.That(await ListAsync(w => pruned.WritePodListAsync(w, ApiVersion.V1, Now)))
            .IsEqualTo(await ListAsync(w => RenderedSnapshot.Empty.WritePodListAsync(w, ApiVersion.V1, Now)));
        await Assert.That(await ListAsync(w => pruned.WriteNodeListProtobufAsync(w, ApiVersion.V1, Now)))
            .IsEqualTo(await ListAsync(w => RenderedSnapshot.Empty.WriteNodeListProtobufAsync(w, ApiVersion.V1, Now)));
    }

    private static ClusterView ViewOf(NodeMetricsValue[] nodes, PodMetricsValue[] pods) => new(
        nodes.ToFrozenDictionary(n => n.Name, n => new NodeInfo(n.Name, n.Labels, [], 10250, null, true)),
        pods.ToFrozenDictionary(p => new PodKey(p.Namespace, p.Name), p => new PodInfo(p.Namespace, p.Name, p.Labels)),
        nodesSynced: true, podsSynced: true);

    private static string Item(Func<IBufferWriter<byte>, bool> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (!write(buffer))
            throw new InvalidOperationException("not written");
        return Convert.ToHexString(buffer.WrittenSpan);
    }

    private static async Task<string> ListAsync(Func<PipeWriter, ValueTask<int>> write)
    {
        using var stream = new MemoryStream();
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        await write(writer);
        await writer.CompleteAsync();
        return Convert.ToHexString(stream.ToArray());
    }
}
