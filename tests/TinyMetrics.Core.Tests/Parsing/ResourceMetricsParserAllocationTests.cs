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

        // 600 new label sets a minute (container and pod series) kept ten minutes: about 6,600 live; the table
        // evicts before it grows, so it stays within twice that, never all 24,000 ever seen.
        await Assert.That(batch.ContainerCount).IsEqualTo(300);
        await Assert.That(parser.CachedLabelSets).IsLessThanOrEqualTo(16_384);
        await Assert.That(parser.InternedNames).IsLessThanOrEqualTo(8192);
    }
}
