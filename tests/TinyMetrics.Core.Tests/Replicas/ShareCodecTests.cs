using TinyMetrics.Parsing;
using TinyMetrics.Scraping;

namespace TinyMetrics.Replicas.Tests;

public sealed class ShareCodecTests
{
    private static NodeBatch Batch(bool swap)
    {
        var batch = new NodeBatch();
        batch.SetNode(new MetricPoint(0, 1_700_000_000_123_000_000, 987_654_321_000, 2_147_483_648, swap ? SwapUsage.Of(4096) : default));
        batch.AddContainer(new ContainerSample("kube-system", "coredns-abc", "coredns", new MetricPoint(1_699_999_000_000_000_000, 1_700_000_000_100_000_000, 12_345, 67_890)));
        batch.AddContainer(new ContainerSample("default", "web-0", "nginx", new MetricPoint(1, 2, ulong.MaxValue, 1, SwapUsage.Of(0))));
        batch.InvalidSamples = 3;
        return batch;
    }

    private static byte[] Encode(params NodeScrapeResult[] results)
    {
        var builder = new ShareBuilder();
        builder.Begin();
        foreach (var result in results)
            builder.Add(result, 1_700_000_000_000_000_000);
        return builder.ToArray();
    }

    [Test]
    public async Task Decode_EncodedBatchesAndFailure_SamePointsNamesAndErrors()
    {
        var share = Encode(
            new NodeScrapeResult("node-a", Batch(swap: true), null, 12.5),
            new NodeScrapeResult("node-b", null, "Get \"https://10.0.0.2:10250/metrics/resource\": connection refused", 3, ScrapeFailureReason.Refused),
            new NodeScrapeResult("node-c", Batch(swap: false), null, 1));
        var decoded = new List<NodeScrapeResult>();

        var ok = new ShareDecoder().TryDecode(share, new HashSet<string>(["node-a", "node-b", "node-c"], StringComparer.Ordinal), 0, decoded);

        await Assert.That(ok).IsTrue();
        await Assert.That(decoded.Select(r => r.NodeName)).IsEquivalentTo(["node-a", "node-b", "node-c"]);
        var a = decoded[0];
        await Assert.That(a.FromPeer).IsTrue();
        await Assert.That(a.ElapsedMs).IsEqualTo(12.5);
        await Assert.That(a.Batch!.Node).IsEqualTo(Batch(swap: true).Node);
        await Assert.That(a.Batch.InvalidSamples).IsEqualTo(3);
        await Assert.That(a.Batch.Containers.ToArray()).IsEquivalentTo(Batch(swap: true).Containers.ToArray());
        await Assert.That(decoded[1].Batch).IsNull();
        await Assert.That(decoded[1].Reason).IsEqualTo(ScrapeFailureReason.Refused);
        await Assert.That(decoded[1].Error).StartsWith("Get \"https://10.0.0.2");
        await Assert.That(decoded[2].Batch!.Node.Swap.IsReported).IsFalse();
        await Assert.That(decoded[2].Batch!.Containers[1].Point.Swap).IsEqualTo(SwapUsage.Of(0));
    }

    [Test]
    public async Task Decode_OnlyWantedNodes_OthersSkipped()
    {
        var share = Encode(new NodeScrapeResult("node-a", Batch(true), null, 1), new NodeScrapeResult("node-b", Batch(false), null, 1));
        var decoded = new List<NodeScrapeResult>();

        await Assert.That(new ShareDecoder().TryDecode(share, new HashSet<string>(["node-b"], StringComparer.Ordinal), 0, decoded)).IsTrue();
        await Assert.That(decoded.Select(r => r.NodeName)).IsEquivalentTo(["node-b"]);
    }

    [Test]
    public async Task Decode_RecordOlderThanOldest_Skipped()
    {
        var share = Encode(new NodeScrapeResult("node-a", Batch(true), null, 1));
        var decoded = new List<NodeScrapeResult>();

        await Assert.That(new ShareDecoder().TryDecode(share, new HashSet<string>(["node-a"], StringComparer.Ordinal), 1_700_000_000_000_000_001, decoded)).IsTrue();
        await Assert.That(decoded).IsEmpty();
    }

    [Test]
    public async Task Decode_EveryTruncation_RefusedWithNothingAdded()
    {
        var share = Encode(new NodeScrapeResult("node-a", Batch(true), null, 1), new NodeScrapeResult("node-b", null, "boom", 1, ScrapeFailureReason.Timeout));
        var wanted = new HashSet<string>(["node-a", "node-b"], StringComparer.Ordinal);
        var decoder = new ShareDecoder();

        for (var length = 0; length < share.Length; length++)
        {
            var decoded = new List<NodeScrapeResult>();
            await Assert.That(decoder.TryDecode(share.AsSpan(0, length), wanted, 0, decoded)).IsFalse().Because($"{length} of {share.Length} bytes");
            await Assert.That(decoded).IsEmpty();
        }
    }

    [Test]
    public async Task Decode_SameNamesTwice_InternedInstances()
    {
        var share = Encode(new NodeScrapeResult("node-a", Batch(true), null, 1));
        var decoder = new ShareDecoder();
        var wanted = new HashSet<string>(["node-a"], StringComparer.Ordinal);
        var first = new List<NodeScrapeResult>();
        var second = new List<NodeScrapeResult>();

        decoder.TryDecode(share, wanted, 0, first);
        var pod = first[0].Batch!.Containers[0].Pod;
        decoder.BeginCycle();
        decoder.TryDecode(share, wanted, 0, second);

        await Assert.That(ReferenceEquals(second[0].Batch!.Containers[0].Pod, pod)).IsTrue();
    }
}
