using TinyMetrics.Discovery;
using TinyMetrics.Parsing;

namespace TinyMetrics.Storage;

/// <summary>
/// Everything the API serves, immutable once published. Nodes are sorted by name and pods by
/// (namespace, name), ordinal, as upstream sorts its lists. Lookups are binary searches over those
/// arrays: no per-snapshot dictionary of 300,000 entries is built every cycle.
/// </summary>
public sealed class MetricsSnapshot
{
    public static readonly MetricsSnapshot Empty = new([], [], 0, 0);

    private readonly NodeMetricsValue[] _nodes;
    private readonly PodMetricsValue[] _pods;

    /// <param name="nodes">sorted by name</param>
    /// <param name="pods">sorted by (namespace, name)</param>
    public MetricsSnapshot(NodeMetricsValue[] nodes, PodMetricsValue[] pods, int nodePoints, int containerPoints)
    {
        _nodes = nodes;
        _pods = pods;
        NodePoints = nodePoints;
        ContainerPoints = containerPoints;
    }

    public ReadOnlySpan<NodeMetricsValue> Nodes => _nodes;

    public ReadOnlySpan<PodMetricsValue> Pods => _pods;

    /// <summary>Nodes with a servable point (upstream's <c>metrics_server_storage_points{type="node"}</c>).</summary>
    public int NodePoints { get; }

    /// <summary>Containers with a servable point (<c>metrics_server_storage_points{type="container"}</c>).</summary>
    public int ContainerPoints { get; }

    /// <summary>Upstream's <c>metric-storage-ready</c>: at least one node and one pod are servable.</summary>
    public bool IsReady => _nodes.Length > 0 && _pods.Length > 0;

    /// <summary>Throws unless nodes are sorted by name and pods by (namespace, name): the order lookups and pre-rendered byte ranges rely on.</summary>
    public void EnsureSorted()
    {
        var nodes = _nodes;
        for (var i = 1; i < nodes.Length; i++)
        {
            if (string.CompareOrdinal(nodes[i - 1].Name, nodes[i].Name) > 0)
                throw new ArgumentException($"Nodes are not sorted by name at index {i}.");
        }
        var pods = _pods;
        for (var i = 1; i < pods.Length; i++)
        {
            if (ComparePod(pods[i - 1], pods[i].Namespace, pods[i].Name) > 0)
                throw new ArgumentException($"Pods are not sorted by (namespace, name) at index {i}.");
        }
    }

    public NodeMetricsValue? FindNode(string name) => IndexOfNode(name) is var i and >= 0 ? _nodes[i] : null;

    public PodMetricsValue? FindPod(string ns, string name) => IndexOfPod(ns, name) is var i and >= 0 ? _pods[i] : null;

    /// <summary>The pods of one namespace, still sorted by name; empty when the namespace has none.</summary>
    public ReadOnlySpan<PodMetricsValue> PodsIn(string ns)
    {
        var (from, to) = NamespaceRange(ns);
        return _pods.AsSpan(from, to - from);
    }

    public int IndexOfNode(string name) => Found(_nodes.AsSpan().BinarySearch(new NodeLookup(name)));

    public int IndexOfPod(string ns, string name) => Found(_pods.AsSpan().BinarySearch(new PodLookup(ns, name)));

    /// <summary>The index range [from, to) of one namespace's pods, or of all pods when <paramref name="ns"/> is null.</summary>
    public (int From, int To) NamespaceRange(string? ns) =>
        ns is null ? (0, _pods.Length) : (FirstPodAfter(ns, orEqual: false), FirstPodAfter(ns, orEqual: true));

    public static int ComparePod(PodMetricsValue pod, string ns, string name)
    {
        var cmp = string.CompareOrdinal(pod.Namespace, ns);
        return cmp != 0 ? cmp : string.CompareOrdinal(pod.Name, name);
    }

    // First index whose namespace is > ns (orEqual) or >= ns.
    private int FirstPodAfter(string ns, bool orEqual)
    {
        int lo = 0, hi = _pods.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = string.CompareOrdinal(_pods[mid].Namespace, ns);
            if (cmp < 0 || (orEqual && cmp == 0))
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    // BinarySearch answers the complement of the insertion point when the key is absent.
    private static int Found(int index) => index >= 0 ? index : -1;

    // Keys for MemoryExtensions.BinarySearch: structs, so a lookup allocates nothing and calls no delegate.
    private readonly struct NodeLookup(string name) : IComparable<NodeMetricsValue>
    {
        public int CompareTo(NodeMetricsValue? other) => string.CompareOrdinal(name, other!.Name);
    }

    private readonly struct PodLookup(string ns, string name) : IComparable<PodMetricsValue>
    {
        public int CompareTo(PodMetricsValue? other) => -ComparePod(other!, ns, name);
    }
}

/// <summary>
/// A servable node: usage over <see cref="WindowNs"/> ending at <see cref="TimestampNs"/> (Unix ns); <see cref="Swap"/>
/// is the newest point's, none when the kubelet reported no swap.
/// </summary>
public sealed record NodeMetricsValue(string Name, LabelSet Labels, long TimestampNs, long WindowNs, ulong CpuNanoCores, ulong MemoryBytes, SwapUsage Swap = default);

/// <summary>
/// A servable pod. <see cref="TimestampNs"/> and <see cref="WindowNs"/> are those of the container
/// with the earliest timestamp; both are 0 when every container's rate failed (served as
/// <c>"timestamp":null,"window":"0s","containers":[]</c>, as upstream does).
/// </summary>
public sealed record PodMetricsValue(string Namespace, string Name, LabelSet Labels, long TimestampNs, long WindowNs, ContainerMetricsValue[] Containers);

/// <summary>A servable container; <see cref="Swap"/> is none when the kubelet reported no swap for it.</summary>
public readonly record struct ContainerMetricsValue(string Name, ulong CpuNanoCores, ulong MemoryBytes, SwapUsage Swap = default);
