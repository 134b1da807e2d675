namespace TinyMetrics.Simulator.Kubelets;

/// <summary>
/// Authenticated <c>/metrics/resource</c> and <c>/stats/summary</c> requests per node since start, so a test can
/// tell how often each kubelet is scraped (HA replicas must not multiply it). Read and written with Interlocked.
/// </summary>
public sealed class KubeletRequestCounts
{
    private readonly long[] _counts;

    public KubeletRequestCounts(int nodes) => _counts = new long[nodes];

    public void Count(int node) => Interlocked.Increment(ref _counts[node]);

    public long Get(int node) => Interlocked.Read(ref _counts[node]);
}
