namespace TinyMetrics.Simulator.Kubelets;

/// <summary>
/// The kubelets that serve only the Summary API (<c>/stats/summary</c>) and answer 404 on <c>/metrics/resource</c>,
/// as a kubelet before 1.18 or with the endpoint disabled. Set from <c>--summary-only-every=K</c> and by
/// <c>POST /simulator/nodes/NAME/summary-only?value=true|false</c>; each slot is read and written with Volatile.
/// </summary>
public sealed class SummaryOnlyKubelets
{
    private readonly int[] _flags;

    public SummaryOnlyKubelets(int nodes, int every = 0)
    {
        _flags = new int[nodes];
        for (var i = 0; every > 0 && i < nodes; i++)
            _flags[i] = IsEvery(i, every) ? 1 : 0;
    }

    /// <summary>Every K-th node (the K-th, 2K-th, …) when built with <c>every = K</c>.</summary>
    public static bool IsEvery(int nodeIndex, int every) => every > 0 && nodeIndex % every == every - 1;

    public bool Get(int node) => node >= 0 && node < _flags.Length && Volatile.Read(ref _flags[node]) != 0;

    public void Set(int node, bool summaryOnly) => Volatile.Write(ref _flags[node], summaryOnly ? 1 : 0);
}
