using BenchmarkDotNet.Attributes;
using TinyMetrics.Storage;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// One storage cycle, as metrics-server's BenchmarkStorageWrite (pkg/storage/storage_benchmark_test.go) on its cluster shapes.
/// Each op rewrites every node batch 15 s later (what the parser does in a real cycle; measured alone by
/// <see cref="RefillOnly"/>, 0 B) and stores it, so every container has a prev and every pod a rate.
/// Allocation budget per Store: the new snapshot only, ≤ 300 B per pod at 2 containers (its sorted pod
/// and node arrays, one PodMetricsValue + container values per pod, one NodeMetricsValue per node); the
/// point dictionaries and per-cycle scratch are reused, so nothing grows with the number of cycles.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class StoreBenchmarks
{
    private SyntheticCluster _cluster = null!;
    private MetricsStore _store = null!;
    private int _cycle;

    [ParamsSource(nameof(Shapes))]
    public ClusterShape Shape { get; set; } = ClusterShape.Normal100;

    public static IEnumerable<ClusterShape> Shapes => [ClusterShape.Normal100, ClusterShape.Normal1000];

    [GlobalSetup]
    public void Setup()
    {
        _cluster = SyntheticCluster.Create(Shape);
        _store = new MetricsStore(TimeSpan.FromSeconds(15));
        _cycle = 0;
        _cluster.Refill(_cycle);
        _store.Store(_cluster.Results, _cluster.View);
        var served = RefillAndStore();
        if (served != Shape.Pods)
            throw new InvalidOperationException($"{served} of {Shape.Pods} pods served: the batches do not give every pod a rate");
    }

    [Benchmark]
    public int RefillOnly()
    {
        _cluster.Refill(++_cycle);
        return _cycle;
    }

    [Benchmark]
    public int RefillAndStore()
    {
        _cluster.Refill(++_cycle);
        return _store.Store(_cluster.Results, _cluster.View).Pods.Length;
    }
}
