using System.Buffers;
using System.IO.Pipelines;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering.Tests;

public class MetricsProtoTests
{
    private static readonly long NowSeconds = Samples.Now / 1_000_000_000;

    [Test]
    public async Task WriteNodeProtobuf_ControlPlane_EveryFieldInTheEnvelope()
    {
        var rendered = RenderedSnapshot.Render(new MetricsSnapshot([Samples.ControlPlane], [], 1, 0));
        var body = Write(b => rendered.WriteNodeProtobuf(b, ApiVersion.V1Beta1, Samples.Now, "e2e-control-plane"));

        var (apiVersion, kind, raw, encoding, contentType) = ProtoMessage.Envelope(body);
        await Assert.That(apiVersion).IsEqualTo("metrics.k8s.io/v1beta1");
        await Assert.That(kind).IsEqualTo("NodeMetrics");
        await Assert.That(encoding).IsEqualTo("");
        await Assert.That(contentType).IsEqualTo("");
        await Assert.That(raw.Numbers).IsEquivalentTo(new[] { 1, 2, 3, 4, 4 });
        var meta = raw.Message(1);
        await AssertMeta(meta, "e2e-control-plane", "");
        await Assert.That(meta.Map(11, quantityValues: false)).IsEquivalentTo(new[]
        {
            "beta.kubernetes.io/arch=amd64", "beta.kubernetes.io/os=linux", "kubernetes.io/arch=amd64",
            "kubernetes.io/hostname=e2e-control-plane", "kubernetes.io/os=linux", "node-role.kubernetes.io/control-plane=",
        });
        await Assert.That(raw.Message(2).Varint(1)).IsEqualTo((ulong)Samples.Unix("2021-10-03T09:36:49Z") / 1_000_000_000);
        await Assert.That(raw.Message(2).Varint(2)).IsEqualTo(0UL);
        await Assert.That(raw.Message(3).Varint(1)).IsEqualTo(15_000_000_000UL);
        await Assert.That(raw.Map(4, quantityValues: true)).IsEquivalentTo(new[] { "cpu=1016171u", "memory=1578392Ki" });
    }

    [Test]
    public async Task WriteNodeProtobuf_PreRendered_EqualsFromScratchRendering()
    {
        var rendered = RenderedSnapshot.Render(new MetricsSnapshot([Samples.ControlPlane], [], 1, 0));
        var cached = Write(b => rendered.WriteNodeProtobuf(b, ApiVersion.V1, Samples.Now, "e2e-control-plane"));
        var scratch = Write(b => MetricsProto.WriteNode(b, Samples.ControlPlane, ApiVersion.V1, Samples.Now));

        await Assert.That(Convert.ToHexString(cached)).IsEqualTo(Convert.ToHexString(scratch));
    }

    [Test]
    public async Task WritePodListProtobufAsync_KubeSystem_EveryFieldOfEveryItem()
    {
        var rendered = RenderedSnapshot.Render(new MetricsSnapshot([], [Samples.Coredns1, Samples.Coredns2], 0, 2));
        var body = await ListAsync(w => rendered.WritePodListProtobufAsync(w, ApiVersion.V1, Samples.Now, "kube-system"));

        var (apiVersion, kind, raw, _, _) = ProtoMessage.Envelope(body);
        await Assert.That(apiVersion).IsEqualTo("metrics.k8s.io/v1");
        await Assert.That(kind).IsEqualTo("PodMetricsList");
        await Assert.That(raw.Message(1).Numbers).IsEquivalentTo(new[] { 1, 2, 3 });
        var items = raw.Messages(2);
        await Assert.That(items.Count).IsEqualTo(2);
        string[] names = ["coredns-558bd4d5db-4dpjz", "coredns-558bd4d5db-kjc9p"];
        string[] stamps = ["2021-10-03T09:36:52Z", "2021-10-03T09:36:54Z"];
        string[][] usage = [["cpu=7262333n", "memory=12240Ki"], ["cpu=7415400n", "memory=11564Ki"]];
        for (var i = 0; i < 2; i++)
        {
            await AssertMeta(items[i].Message(1), names[i], "kube-system");
            await Assert.That(items[i].Message(1).Map(11, false)).IsEquivalentTo(new[] { "k8s-app=kube-dns", "pod-template-hash=558bd4d5db" });
            await Assert.That(items[i].Message(2).Varint(1)).IsEqualTo((ulong)Samples.Unix(stamps[i]) / 1_000_000_000);
            await Assert.That(items[i].Message(3).Varint(1)).IsEqualTo(15_000_000_000UL);
            var containers = items[i].Messages(4);
            await Assert.That(containers.Count).IsEqualTo(1);
            await Assert.That(containers[0].String(1)).IsEqualTo("coredns");
            await Assert.That(containers[0].Map(2, true)).IsEquivalentTo(usage[i]);
        }
    }

    [Test]
    public async Task WritePodProtobuf_NoTimestampNoContainers_EmptyTimeAndZeroWindow()
    {
        var pod = new PodMetricsValue("default", "idle", Discovery.LabelSet.Empty, 0, 0, []);
        var rendered = RenderedSnapshot.Render(new MetricsSnapshot([], [pod], 0, 0));
        var body = Write(b => rendered.WritePodProtobuf(b, ApiVersion.V1Beta1, Samples.Now, "default", "idle"));

        var (_, kind, raw, _, _) = ProtoMessage.Envelope(body);
        await Assert.That(kind).IsEqualTo("PodMetrics");
        await Assert.That(raw.Numbers).IsEquivalentTo(new[] { 1, 2, 3 });
        await Assert.That(raw.Bytes(2).Length).IsEqualTo(0);
        await Assert.That(raw.Message(3).Varint(1)).IsEqualTo(0UL);
        await Assert.That(raw.Message(1).Numbers).IsEquivalentTo(new[] { 1, 2, 3, 4, 5, 6, 7, 8 });
    }

    [Test]
    [Arguments("app=a")]
    [Arguments("app!=a")]
    [Arguments("nope=1")]
    [Arguments(null)]
    public async Task WritePodListProtobufAsync_ManyItemsFiltered_SameItemsAsJson(string? selector)
    {
        var snapshot = RandomSnapshots.Create(seed: 11, nodeCount: 0, podCount: 1500);
        var rendered = RenderedSnapshot.Render(snapshot);
        LabelSelector? labels = null;
        if (selector is not null)
            LabelSelector.TryParse(selector, out labels, out _);

        var body = await ListAsync(w => rendered.WritePodListProtobufAsync(w, ApiVersion.V1, Samples.Now, null, labels));
        var expected = new List<string>();
        foreach (var pod in snapshot.Pods)
        {
            if (labels is null || labels.Matches(pod.Labels))
                expected.Add(pod.Namespace + "/" + pod.Name);
        }

        var actual = new List<string>();
        foreach (var item in ProtoMessage.Envelope(body).Raw.Messages(2))
        {
            var meta = item.Message(1);
            await Assert.That(meta.Message(8).Varint(1)).IsEqualTo((ulong)NowSeconds);
            actual.Add(meta.String(3) + "/" + meta.String(1));
        }
        await Assert.That(actual).IsEquivalentTo(expected);
    }

    [Test]
    public async Task StatusProtobuf_NodeMetricsNotFound_EveryField()
    {
        var status = KubeStatus.NodeMetricsNotFound("node-1");

        var (apiVersion, kind, raw, _, _) = ProtoMessage.Envelope(status.Protobuf);
        await Assert.That(apiVersion).IsEqualTo("v1");
        await Assert.That(kind).IsEqualTo("Status");
        await Assert.That(raw.Numbers).IsEquivalentTo(new[] { 1, 2, 3, 4, 5, 6 });
        await Assert.That(raw.String(2)).IsEqualTo("Failure");
        await Assert.That(raw.String(3)).IsEqualTo("nodemetrics.metrics.k8s.io \"node-1\" not found");
        await Assert.That(raw.String(4)).IsEqualTo("NotFound");
        await Assert.That(raw.Varint(6)).IsEqualTo(404UL);
        var details = raw.Message(5);
        await Assert.That(details.String(1)).IsEqualTo("node-1");
        await Assert.That(details.String(2)).IsEqualTo("metrics.k8s.io");
        await Assert.That(details.String(3)).IsEqualTo("nodemetrics");
    }

    private static async Task AssertMeta(ProtoMessage meta, string name, string ns)
    {
        await Assert.That(meta.String(1)).IsEqualTo(name);
        await Assert.That(meta.String(2)).IsEqualTo("");
        await Assert.That(meta.String(3)).IsEqualTo(ns);
        await Assert.That(meta.String(6)).IsEqualTo("");
        await Assert.That(meta.Varint(7)).IsEqualTo(0UL);
        await Assert.That(meta.Message(8).Varint(1)).IsEqualTo((ulong)NowSeconds);
        await Assert.That(meta.Message(8).Varint(2)).IsEqualTo(0UL);
    }

    private static byte[] Write(Func<IBufferWriter<byte>, bool> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (!write(buffer))
            throw new InvalidOperationException("nothing written");
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Write(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static async Task<byte[]> ListAsync(Func<PipeWriter, ValueTask<int>> write)
    {
        var stream = new MemoryStream();
        var pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 512));
        await write(pipe);
        await pipe.CompleteAsync();
        return stream.ToArray();
    }
}
