using System.Buffers;
using System.Text;
using TinyMetrics.Discovery;
using TinyMetrics.Parsing;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// <c>swap</c> in NodeMetrics.usage and ContainerMetrics.usage, where kubectl's <c>top --show-swap</c> reads it
/// (k8s.io/kubectl pkg/metricsutil ResourceSwap), a BinarySI quantity as memory; absent when the kubelet reported none.
/// </summary>
public class MetricsSwapRenderingTests
{
    private static readonly NodeMetricsValue SwapNode = Samples.ControlPlane with { Labels = LabelSet.Empty, Swap = SwapUsage.Of(73_400_320) };

    private static readonly PodMetricsValue SwapPod = new("shop", "cart", LabelSet.Empty, Samples.Now - 5_000_000_000, 15_000_000_000,
        [new ContainerMetricsValue("app", 7_262_333, 12_533_760, SwapUsage.Of(2_097_152)), new ContainerMetricsValue("legacy", 1_000_000, 1_048_576)]);

    [Test]
    [Arguments(ApiVersion.V1Beta1)]
    [Arguments(ApiVersion.V1)]
    public async Task WriteNode_ReportedSwap_SwapAfterMemoryInUsage(ApiVersion version)
    {
        var json = Samples.Json(w => MetricsJson.WriteNode(w, SwapNode, version, Samples.Now));

        await Assert.That(json).EndsWith("""
            "usage":{"cpu":"1016171u","memory":"1578392Ki","swap":"70Mi"}}
            """);
    }

    [Test]
    public async Task WriteNode_ReportedZeroSwap_WritesZero()
    {
        var json = Samples.Json(w => MetricsJson.WriteNode(w, SwapNode with { Swap = SwapUsage.Of(0) }, ApiVersion.V1, Samples.Now));

        await Assert.That(json).EndsWith("""
            "usage":{"cpu":"1016171u","memory":"1578392Ki","swap":"0"}}
            """);
    }

    [Test]
    public async Task WriteNode_NoSwapReported_NoSwapKey()
    {
        var json = Samples.Json(w => MetricsJson.WriteNode(w, SwapNode with { Swap = default }, ApiVersion.V1, Samples.Now));

        await Assert.That(json).DoesNotContain("swap");
    }

    [Test]
    public async Task WritePod_MixedContainers_SwapOnlyOnTheOneThatReportedIt()
    {
        var json = Samples.Json(w => MetricsJson.WritePod(w, SwapPod, ApiVersion.V1Beta1, Samples.Now));

        await Assert.That(json).EndsWith("""
            "containers":[{"name":"app","usage":{"cpu":"7262333n","memory":"12240Ki","swap":"2Mi"}},{"name":"legacy","usage":{"cpu":"1m","memory":"1Mi"}}]}
            """);
    }

    [Test]
    public async Task WriteNodeProtobuf_ReportedSwap_ThirdUsageEntry()
    {
        var rendered = RenderedSnapshot.Render(new MetricsSnapshot([SwapNode], [], 1, 0));
        var body = Write(b => rendered.WriteNodeProtobuf(b, ApiVersion.V1, Samples.Now, SwapNode.Name));

        var (_, _, raw, _, _) = ProtoMessage.Envelope(body);
        await Assert.That(raw.Map(4, quantityValues: true)).IsEquivalentTo(new[] { "cpu=1016171u", "memory=1578392Ki", "swap=70Mi" });
    }

    [Test]
    public async Task WritePodProtobuf_MixedContainers_SwapEntryOnlyWhereReported()
    {
        var rendered = RenderedSnapshot.Render(new MetricsSnapshot([], [SwapPod], 0, 2));
        var body = Write(b => rendered.WritePodProtobuf(b, ApiVersion.V1Beta1, Samples.Now, "shop", "cart"));

        var (_, _, raw, _, _) = ProtoMessage.Envelope(body);
        var containers = raw.Messages(4);
        await Assert.That(containers[0].Map(2, true)).IsEquivalentTo(new[] { "cpu=7262333n", "memory=12240Ki", "swap=2Mi" });
        await Assert.That(containers[1].Map(2, true)).IsEquivalentTo(new[] { "cpu=1m", "memory=1Mi" });
    }

    [Test]
    public async Task WriteNodeProtobuf_PreRenderedWithSwap_EqualsFromScratchRendering()
    {
        var rendered = RenderedSnapshot.Render(new MetricsSnapshot([SwapNode], [], 1, 0));
        var cached = Write(b => rendered.WriteNodeProtobuf(b, ApiVersion.V1, Samples.Now, SwapNode.Name));
        var scratch = Write(b => MetricsProto.WriteNode(b, SwapNode, ApiVersion.V1, Samples.Now));

        await Assert.That(Convert.ToHexString(cached)).IsEqualTo(Convert.ToHexString(scratch));
    }

    [Test]
    public async Task YamlFromJson_NodeWithSwap_SwapKeyAfterMemory()
    {
        var json = Samples.Json(w => MetricsJson.WriteNode(w, SwapNode, ApiVersion.V1, Samples.Now));

        var yaml = Encoding.UTF8.GetString(YamlText.FromJson(Encoding.UTF8.GetBytes(json)));

        await Assert.That(yaml).EndsWith("usage:\n  cpu: 1016171u\n  memory: 1578392Ki\n  swap: 70Mi\nwindow: 15s\n");
    }

    private static byte[] Write(Func<IBufferWriter<byte>, bool> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (!write(buffer))
            throw new InvalidOperationException("not found");
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Write(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
