using TinyMetrics.Fixtures;

namespace TinyMetrics.Parsing.Tests;

public class ResourceMetricsParserAllocationTests
{
    [Test]
    public async Task TryParse_SameThirtyPodBodyTwice_SecondParseAllocatesNothing()
    {
        var body = KubeletBodyBuilder.Build(pods: 30, containersPerPod: 2);
        var parser = new ResourceMetricsParser();
        var batch = new NodeBatch();
        parser.TryParse(body, ParserHarness.DefaultNs, batch, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = parser.TryParse(body, ParserHarness.DefaultNs, batch, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.ContainerCount).IsEqualTo(60);
        await Assert.That(allocated).IsEqualTo(0L);
    }

    [Test]
    public async Task TryParse_PodsChurningEveryCycle_InternTableStaysBounded()
    {
        var parser = new ResourceMetricsParser();
        var batch = new NodeBatch();
        const long minute = 60_000_000_000;
        for (var cycle = 0; cycle < 40; cycle++)
            parser.TryParse(KubeletBodyBuilder.Build(pods: 300, firstPod: cycle * 300), ParserHarness.DefaultNs + (cycle * minute), batch, out _);

        // Ten minutes of retention at 300 new pods a minute: about 3,300 label sets live, never all 12,000 seen.
        await Assert.That(batch.ContainerCount).IsEqualTo(300);
        await Assert.That(parser.CachedLabelSets).IsLessThanOrEqualTo(8192);
        await Assert.That(parser.InternedNames).IsLessThanOrEqualTo(8192);
    }
}
