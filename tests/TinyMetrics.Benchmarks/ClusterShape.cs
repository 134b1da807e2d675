namespace TinyMetrics.Benchmarks;

/// <summary>
/// A cluster size in the terms of metrics-server's storage benchmark (pkg/storage/storage_benchmark_test.go): nodes × pods per node,
/// deployments (pods sharing an <c>app</c> label), namespaces and containers per pod. BenchmarkDotNet shows
/// <see cref="ToString"/> as the parameter value.
/// </summary>
public sealed record ClusterShape(string Name, int Nodes, int PodsPerNode, int Deployments, int Namespaces, int ContainersPerPod)
{
    /// <summary>Upstream's "Normal 100" with 30 pods per node instead of 70, the per-node density of our targets.</summary>
    public static readonly ClusterShape Normal100 = new("Normal 100x30", 100, 30, 100, 10, 2);

    /// <summary>Upstream's "Normal 1000" exactly.</summary>
    public static readonly ClusterShape Normal1000 = new("Normal 1000x30", 1000, 30, 100, 10, 2);

    /// <summary>
    /// 1,000 nodes where every deployment has ~30 pods, as an HPA target would; upstream's 100 deployments
    /// would put 300 pods behind each label.
    /// </summary>
    public static readonly ClusterShape Hpa1000 = new("HPA 1000x30", 1000, 30, 1000, 10, 2);

    /// <summary>The design's largest cluster: 10,000 nodes × 30 pods, 10,000 deployments of ~30 pods.</summary>
    public static readonly ClusterShape Hpa10000 = new("HPA 10000x30", 10_000, 30, 10_000, 10, 2);

    public int Pods => Nodes * PodsPerNode;

    public override string ToString() => Name;
}
