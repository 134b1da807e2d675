using BenchmarkDotNet.Attributes;
using TinyMetrics.Parsing;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// Decoding one kubelet body (DESIGN: ≥ 1 GB/s per core, 0 bytes allocated per sample).
/// Allocation budget: 0 B per op in steady state: the parser caches label sets and names, the batch is reused.
/// Throughput = body bytes (printed at setup, and in BENCHMARKS.md) / mean time.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ParserConfig))]
public class ParserBenchmarks
{
    private readonly ResourceMetricsParser _parser = new();
    private readonly NodeBatch _batch = new();
    private byte[] _body = [];

    /// <summary>Pods on the scraped node: a small node, the design's 30, and the kubelet's default maximum of 110.</summary>
    [Params(10, 30, 110)]
    public int PodsPerNode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = KubeletBodies.ForPods(PodsPerNode);
        if (!_parser.TryParse(_body, KubeletBodies.ScrapeMs * 1_000_000, _batch, out var error))
            throw new InvalidOperationException("simulator body does not parse: " + error);
        Console.WriteLine($"// body: {PodsPerNode} pods, {_body.Length} bytes, {_batch.ContainerCount} containers");
    }

    [Benchmark]
    public int TryParse()
    {
        _parser.TryParse(_body, KubeletBodies.ScrapeMs * 1_000_000, _batch, out _);
        return _batch.ContainerCount;
    }
}
