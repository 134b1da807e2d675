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

    public ClusterView(FrozenDictionary<string, NodeInfo> nodes, FrozenDictionary<PodKey, PodInfo> pods, bool nodesSynced, bool podsSynced,
        string nodesResourceVersion = "", string podsResourceVersion = "")
    {
        Nodes = nodes;
        Pods = pods;
        NodesSynced = nodesSynced;
        PodsSynced = podsSynced;
        NodesResourceVersion = nodesResourceVersion;
        PodsResourceVersion = podsResourceVersion;
    }

    public FrozenDictionary<string, NodeInfo> Nodes { get; }

    public FrozenDictionary<PodKey, PodInfo> Pods { get; }

    /// <summary>True once the first full node list has been read.</summary>
    public bool NodesSynced { get; }

    /// <summary>True once the first full pod list has been read.</summary>
    public bool PodsSynced { get; }

    /// <summary>The resourceVersion of the last node list or event in this view ("" before any): which API state it shows.</summary>
    public string NodesResourceVersion { get; }

    /// <summary>The resourceVersion of the last pod list or event in this view ("" before any).</summary>
    public string PodsResourceVersion { get; }
}

/// <summary>
/// What TinyMetrics keeps of a Node: enough to scrape it and to label its metrics.
/// <see cref="KubeletPort"/> is <c>status.daemonEndpoints.kubeletEndpoint.Port</c> (0 when absent);
/// <see cref="MetricsPath"/> is the <c>metrics.k8s.io/resource-metrics-path</c> annotation, or null.
/// </summary>
public sealed record NodeInfo(
    string Name,
    LabelSet Labels,
    NodeAddress[] Addresses,
    int KubeletPort,
    string? MetricsPath,
    bool IsReady);

/// <summary>One entry of a node's <c>status.addresses</c>; <see cref="Type"/> is the Kubernetes name (InternalIP, Hostname, …).</summary>
public readonly record struct NodeAddress(string Type, string Address);

/// <summary>A Running pod as seen through metadata-only list + watch.</summary>
public sealed record PodInfo(string Namespace, string Name, LabelSet Labels);

public readonly record struct PodKey(string Namespace, string Name);

/// <summary>Where the scrape cycle and the API read the latest <see cref="ClusterView"/> from. Lock-free.</summary>
public interface IClusterViewSource
{
    ClusterView Current { get; }

    /// <summary>Completes once the node and pod lists have both been read.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);

    /// <summary>Completes once <see cref="Current"/> is no longer <paramref name="seen"/>; a source whose view never changes never completes it.</summary>
    Task WaitForChangeAsync(ClusterView seen, CancellationToken cancellationToken) =>
        ReferenceEquals(Current, seen) ? Task.Delay(Timeout.Infinite, cancellationToken) : Task.CompletedTask;
}
