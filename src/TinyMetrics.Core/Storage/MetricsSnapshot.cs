using System.Collections.Frozen;
using TinyMetrics.Discovery;

namespace TinyMetrics.Storage;

/// <summary>
/// Everything the API serves, immutable once published. Nodes are sorted by name and pods by
/// (namespace, name), ordinal, as upstream sorts its lists; lookups are built once here so a
/// request never sorts or scans.
/// </summary>
public sealed class MetricsSnapshot
{
    public static readonly MetricsSnapshot Empty = new([], [], 0, 0);

    private readonly NodeMetricsValue[] _nodes;
    private readonly PodMetricsValue[] _pods;
    private readonly FrozenDictionary<string, int> _nodeIndex;
    private readonly FrozenDictionary<PodKey, int> _podIndex;
    private readonly FrozenDictionary<string, (int Start, int Count)> _namespaces;

    /// <param name="nodes">sorted by name</param>
    /// <param name="pods">sorted by (namespace, name)</param>
    public MetricsSnapshot(NodeMetricsValue[] nodes, PodMetricsValue[] pods, int nodePoints, int containerPoints)
    {
        _nodes = nodes;
        _pods = pods;
        NodePoints = nodePoints;
        ContainerPoints = containerPoints;

        var nodeIndex = new Dictionary<string, int>(nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
            nodeIndex[nodes[i].Name] = i;
        _nodeIndex = nodeIndex.ToFrozenDictionary(StringComparer.Ordinal);

        var podIndex = new Dictionary<PodKey, int>(pods.Length);
        var namespaces = new Dictionary<string, (int Start, int Count)>(StringComparer.Ordinal);
        for (var i = 0; i < pods.Length; i++)
        {
            var pod = pods[i];
            podIndex[new PodKey(pod.Namespace, pod.Name)] = i;
            namespaces[pod.Namespace] = namespaces.TryGetValue(pod.Namespace, out var range) ? (range.Start, range.Count + 1) : (i, 1);
        }
        _podIndex = podIndex.ToFrozenDictionary();
        _namespaces = namespaces.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public ReadOnlySpan<NodeMetricsValue> Nodes => _nodes;

    public ReadOnlySpan<PodMetricsValue> Pods => _pods;

    /// <summary>Nodes with a servable point (upstream's <c>metrics_server_storage_points{type="node"}</c>).</summary>
    public int NodePoints { get; }

    /// <summary>Containers with a servable point (<c>metrics_server_storage_points{type="container"}</c>).</summary>
    public int ContainerPoints { get; }

    /// <summary>Upstream's <c>metric-storage-ready</c>: at least one node and one pod are servable.</summary>
    public bool IsReady => _nodes.Length > 0 && _pods.Length > 0;

    public NodeMetricsValue? FindNode(string name) => _nodeIndex.TryGetValue(name, out var i) ? _nodes[i] : null;

    public PodMetricsValue? FindPod(string ns, string name) => _podIndex.TryGetValue(new PodKey(ns, name), out var i) ? _pods[i] : null;

    /// <summary>The pods of one namespace, still sorted by name; empty when the namespace has none.</summary>
    public ReadOnlySpan<PodMetricsValue> PodsIn(string ns) =>
        _namespaces.TryGetValue(ns, out var range) ? _pods.AsSpan(range.Start, range.Count) : [];
}
