using System.Collections.Frozen;

namespace TinyMetrics.Discovery;

/// <summary>
/// An immutable picture of the cluster's nodes and Running pods. Discovery publishes a new one
/// when something that matters changed; readers keep the instance they loaded.
/// </summary>
public sealed class ClusterView
{
    public static readonly ClusterView Empty = new(
        FrozenDictionary<string, NodeInfo>.Empty, FrozenDictionary<PodKey, PodInfo>.Empty, nodesSynced: false, podsSynced: false);

    public ClusterView(FrozenDictionary<string, NodeInfo> nodes, FrozenDictionary<PodKey, PodInfo> pods, bool nodesSynced, bool podsSynced)
    {
        Nodes = nodes;
        Pods = pods;
        NodesSynced = nodesSynced;
        PodsSynced = podsSynced;
    }

    public FrozenDictionary<string, NodeInfo> Nodes { get; }

    public FrozenDictionary<PodKey, PodInfo> Pods { get; }

    /// <summary>True once the first full node list has been read.</summary>
    public bool NodesSynced { get; }

    /// <summary>True once the first full pod list has been read.</summary>
    public bool PodsSynced { get; }
}
