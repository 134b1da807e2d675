using System.IO.Pipelines;
using System.Text;
using TinyMetrics.Discovery;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering.Tests;

public class RenderedSnapshotTests
{
    private static readonly long Now = Samples.Unix("2026-11-25T23:30:07Z");

    public static IEnumerable<(string? Labels, string? Fields)> Selectors() =>
    [
        (null, null), ("app=a", null), ("app!=a", null), ("tier in (x,y),app", null), ("!tier", null),
        ("example.com/team notin (a)", null), (null, "metadata.name=node-00003"), (null, "metadata.name!=pod-000010"),
        (null, "metadata.namespace=ns-1"), ("app==b", "metadata.namespace!=ns-2"), ("nope=1", null),
    ];

    [Test]
    [MethodDataSource(nameof(Selectors))]
    public async Task WriteNodeList_RandomSnapshot_EqualsFromScratchRendering(string? labelText, string? fieldText)
    {
        var (labels, fields) = Parse(labelText, fieldText);
        var snapshot = RandomSnapshots.Create(seed: 7, nodeCount: 40, podCount: 0);
        var rendered = RenderedSnapshot.Render(snapshot);

        var matching = snapshot.Nodes.ToArray().Where(n => ReferenceSelectors.Matches(labelText, fieldText, n.Labels, n.Name, null)).ToArray();

        foreach (var (version, name) in new[] { (ApiVersion.V1Beta1, "v1beta1"), (ApiVersion.V1, "v1") })
        {
            var expected = ReferenceMetricsJson.NodeList(matching, name, Now);
            var actual = await ListAsync(w => rendered.WriteNodeListAsync(w, version, Now, labels, fields));

            await Assert.That(ReferenceMetricsJson.Canonical(actual)).IsEqualTo(expected);
        }
    }

    [Test]
    [MethodDataSource(nameof(Selectors))]
    public async Task ObserveListAges_EachServedItemsOwnAge(string? labelText, string? fieldText)
    {
        var (labels, fields) = Parse(labelText, fieldText);
        var snapshot = RandomSnapshots.Create(seed: 13, nodeCount: 30, podCount: 120);
        var rendered = RenderedSnapshot.Render(snapshot);
        var now = Now;

        var expectedNodes = snapshot.Nodes.ToArray().Where(n => ReferenceSelectors.Matches(labelText, fieldText, n.Labels, n.Name, null))
            .Select(n => Math.Max(0, (now - n.TimestampNs) / 1e9)).ToArray();
        var expectedPods = snapshot.Pods.ToArray().Where(p => ReferenceSelectors.Matches(labelText, fieldText, p.Labels, p.Name, p.Namespace))
            .Select(p => Math.Max(0, (now - p.TimestampNs) / 1e9)).ToArray();
        var nodes = new List<double>();
        var pods = new List<double>();
        rendered.ObserveListAges(false, now, null, labels, fields, nodes.Add);
        rendered.ObserveListAges(true, now, null, labels, fields, pods.Add);

        await Assert.That(nodes).IsEquivalentTo(expectedNodes);
        await Assert.That(pods).IsEquivalentTo(expectedPods);
    }

    [Test]
    [MethodDataSource(nameof(Selectors))]
    public async Task WritePodList_RandomSnapshotEachNamespace_EqualsFromScratchRendering(string? labelText, string? fieldText)
    {
        var (labels, fields) = Parse(labelText, fieldText);
        var snapshot = RandomSnapshots.Create(seed: 11, nodeCount: 3, podCount: 200);
        var rendered = RenderedSnapshot.Render(snapshot);

        foreach (var ns in new[] { null, "ns-0", "ns-1", "ns-3", "absent", "" })
        {
            var pods = snapshot.Pods.ToArray()
                .Where(p => (ns is null || p.Namespace == ns) && ReferenceSelectors.Matches(labelText, fieldText, p.Labels, p.Name, p.Namespace));
            var expected = ReferenceMetricsJson.PodList(pods, "v1", Now);
            var actual = await ListAsync(w => rendered.WritePodListAsync(w, ApiVersion.V1, Now, ns, labels, fields));

            await Assert.That(ReferenceMetricsJson.Canonical(actual)).IsEqualTo(expected);
        }
    }

    [Test]
    public async Task WritePodList_SmallOutputChunks_PatchesPlaceholdersAcrossChunks()
    {
        var snapshot = RandomSnapshots.Create(seed: 3, nodeCount: 0, podCount: 50);
        var rendered = RenderedSnapshot.Render(snapshot);
        var expected = ReferenceMetricsJson.PodList(snapshot.Pods.ToArray(), "v1beta1", Now);

        foreach (var chunk in new[] { 1, 7, 19, 20, 21 })
        {
            var output = new SmallChunkWriter(chunk);
            await rendered.WritePodListAsync(output, ApiVersion.V1Beta1, Now);

            await Assert.That(ReferenceMetricsJson.Canonical(Encoding.UTF8.GetString(output.WrittenSpan))).IsEqualTo(expected);
        }
    }

    [Test]
    public async Task WriteNodeAndWritePod_EveryItem_EqualsFromScratchRendering()
    {
        var snapshot = RandomSnapshots.Create(seed: 5, nodeCount: 25, podCount: 60);
        var rendered = RenderedSnapshot.Render(snapshot);

        foreach (var node in snapshot.Nodes.ToArray())
        {
            var expected = ReferenceMetricsJson.NodeObject(node, "v1beta1", Now);
            var found = false;
            var actual = Samples.Bytes(w => found = rendered.WriteNode(w, ApiVersion.V1Beta1, Now, node.Name));
            await Assert.That(found).IsTrue();
            await Assert.That(ReferenceMetricsJson.Canonical(actual)).IsEqualTo(expected);
        }
        foreach (var pod in snapshot.Pods.ToArray())
        {
            var expected = ReferenceMetricsJson.PodObject(pod, "v1", Now);
            var actual = Samples.Bytes(w => rendered.WritePod(w, ApiVersion.V1, Now, pod.Namespace, pod.Name));
            await Assert.That(ReferenceMetricsJson.Canonical(actual)).IsEqualTo(expected);
        }
    }

    [Test]
    [Arguments("ns-0", "node-00001")]
    [Arguments("ns-9", "pod-000001")]
    [Arguments("", "")]
    public async Task WritePod_Unknown_ReturnsFalseAndWritesNothing(string ns, string name)
    {
        var rendered = RenderedSnapshot.Render(RandomSnapshots.Create(seed: 5, nodeCount: 2, podCount: 8));
        var found = true;

        var written = Samples.Bytes(w => found = rendered.WritePod(w, ApiVersion.V1, Now, ns, name));

        await Assert.That(found).IsFalse();
        await Assert.That(written).IsEqualTo("");
    }

    [Test]
    public async Task WriteNode_ControlPlaneSample_EqualsReferenceSample()
    {
        var rendered = RenderedSnapshot.Render(new MetricsSnapshot([Samples.ControlPlane], [Samples.Coredns1, Samples.Coredns2], 1, 2));

        var node = Samples.Bytes(w => rendered.WriteNode(w, ApiVersion.V1Beta1, Samples.Now, "e2e-control-plane"));
        var list = await ListAsync(w => rendered.WritePodListAsync(w, ApiVersion.V1Beta1, Samples.Now, "kube-system"));

        await Assert.That(node).IsEqualTo("""{"kind":"NodeMetrics","apiVersion":"metrics.k8s.io/v1beta1",""" + Samples.ControlPlaneItem[1..]);
        await Assert.That(list).IsEqualTo(
            """{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[""" +
            Samples.Coredns1Item + "," + Samples.Coredns2Item + "]}");
    }

    [Test]
    public async Task WriteList_ReturnsNumberOfItems()
    {
        var snapshot = RandomSnapshots.Create(seed: 9, nodeCount: 10, podCount: 100);
        var rendered = RenderedSnapshot.Render(snapshot);
        LabelSelector.TryParse("app=a", out var selector, out _);
        var expected = snapshot.Pods.ToArray().Count(p => p.Namespace == "ns-2" && ReferenceSelectors.Matches("app=a", null, p.Labels, p.Name, p.Namespace));

        var count = await rendered.WritePodListAsync(PipeWriter.Create(Stream.Null), ApiVersion.V1, Now, "ns-2", selector);

        await Assert.That(count).IsEqualTo(expected);
        await Assert.That(count).IsGreaterThan(0);
    }

    [Test]
    public async Task WritePodListAsync_ManyItemsInSeveralFlushes_EqualsFromScratchRendering()
    {
        var snapshot = RandomSnapshots.Create(seed: 13, nodeCount: 0, podCount: 1500);
        var rendered = RenderedSnapshot.Render(snapshot);
        LabelSelector.TryParse("app", out var selector, out _);

        foreach (var (labels, text) in new (LabelSelector?, string?)[] { (null, null), (selector, "app") })
        {
            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
            var count = await rendered.WritePodListAsync(pipe.Writer, ApiVersion.V1, Now, null, labels);
            await pipe.Writer.CompleteAsync();
            var result = await pipe.Reader.ReadAtLeastAsync(int.MaxValue);
            var actual = Encoding.UTF8.GetString(result.Buffer);
            var expected = ReferenceMetricsJson.PodList(
                snapshot.Pods.ToArray().Where(p => ReferenceSelectors.Matches(text, null, p.Labels, p.Name, p.Namespace)), "v1", Now);

            await Assert.That(ReferenceMetricsJson.Canonical(actual)).IsEqualTo(expected);
            await Assert.That(count).IsGreaterThan(0);
        }
    }

    [Test]
    public async Task Render_UnsortedPods_Throws()
    {
        PodMetricsValue a = new("b", "x", LabelSet.Empty, 1, 1, []);
        PodMetricsValue b = new("a", "y", LabelSet.Empty, 1, 1, []);
        var snapshot = new MetricsSnapshot([], [a, b], 0, 0);

        await Assert.That(() => RenderedSnapshot.Render(snapshot)).Throws<ArgumentException>();
    }

    [Test]
    public async Task Empty_WritesEmptyLists()
    {
        var nodes = await ListAsync(w => RenderedSnapshot.Empty.WriteNodeListAsync(w, ApiVersion.V1, Now));
        var pods = await ListAsync(w => RenderedSnapshot.Empty.WritePodListAsync(w, ApiVersion.V1Beta1, Now, "default"));

        await Assert.That(nodes).IsEqualTo("""{"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1","metadata":{},"items":[]}""");
        await Assert.That(pods).IsEqualTo("""{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[]}""");
    }

    // A list as a response body carries it: through a PipeWriter, completed after the writer returns.
    private static async Task<string> ListAsync(Func<PipeWriter, ValueTask<int>> write)
    {
        using var stream = new MemoryStream();
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        await write(writer);
        await writer.CompleteAsync();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static (LabelSelector? Labels, FieldSelector? Fields) Parse(string? labelText, string? fieldText)
    {
        LabelSelector? labels = null;
        FieldSelector? fields = null;
        if (labelText is not null && !LabelSelector.TryParse(labelText, out labels, out var error))
            throw new ArgumentException(error);
        if (fieldText is not null && !FieldSelector.TryParse(fieldText, out fields, out var fieldError))
            throw new ArgumentException(fieldError);
        return (labels, fields);
    }
}
