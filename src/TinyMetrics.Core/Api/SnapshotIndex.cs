using TinyMetrics.Storage;

namespace TinyMetrics.Api;

/// <summary>
/// Index lookups by binary search over the snapshot's sorted arrays: no per-snapshot dictionary of
/// 300,000 entries is needed to find an item's position among the pre-rendered bytes.
/// </summary>
internal static class SnapshotIndex
{
    public static void EnsureSorted(MetricsSnapshot snapshot)
    {
        var nodes = snapshot.Nodes;
        for (var i = 1; i < nodes.Length; i++)
        {
            if (string.CompareOrdinal(nodes[i - 1].Name, nodes[i].Name) > 0)
                throw new ArgumentException($"Nodes are not sorted by name at index {i}.", nameof(snapshot));
        }
        var pods = snapshot.Pods;
        for (var i = 1; i < pods.Length; i++)
        {
            if (ComparePod(pods[i - 1], pods[i].Namespace, pods[i].Name) > 0)
                throw new ArgumentException($"Pods are not sorted by (namespace, name) at index {i}.", nameof(snapshot));
        }
    }

    public static int FindNode(ReadOnlySpan<NodeMetricsValue> nodes, string name)
    {
        int lo = 0, hi = nodes.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = string.CompareOrdinal(nodes[mid].Name, name);
            if (cmp == 0)
                return mid;
            if (cmp < 0)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return -1;
    }

    public static int FindPod(ReadOnlySpan<PodMetricsValue> pods, string ns, string name)
    {
        int lo = 0, hi = pods.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = ComparePod(pods[mid], ns, name);
            if (cmp == 0)
                return mid;
            if (cmp < 0)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return -1;
    }

    /// <summary>The index range [from, to) of one namespace's pods, or of all pods when <paramref name="ns"/> is null.</summary>
    public static (int From, int To) NamespaceRange(ReadOnlySpan<PodMetricsValue> pods, string? ns)
    {
        if (ns is null)
            return (0, pods.Length);
        var from = LowerBound(pods, ns, orEqual: false);
        var to = LowerBound(pods, ns, orEqual: true);
        return (from, to);
    }

    // First index whose namespace is > ns (orEqual) or >= ns.
    private static int LowerBound(ReadOnlySpan<PodMetricsValue> pods, string ns, bool orEqual)
    {
        int lo = 0, hi = pods.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = string.CompareOrdinal(pods[mid].Namespace, ns);
            if (cmp < 0 || (orEqual && cmp == 0))
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    private static int ComparePod(PodMetricsValue pod, string ns, string name)
    {
        var cmp = string.CompareOrdinal(pod.Namespace, ns);
        return cmp != 0 ? cmp : string.CompareOrdinal(pod.Name, name);
    }
}
