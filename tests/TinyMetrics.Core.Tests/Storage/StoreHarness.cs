using System.Collections.Frozen;
using TinyMetrics.Discovery;
using TinyMetrics.Parsing;
using TinyMetrics.Scraping;

namespace TinyMetrics.Storage.Tests;

internal static class StoreHarness
{
    public const long S = 1_000_000_000;

    /// <summary>An arbitrary kubelet time (2023-11-14T22:13:20Z) so that "10 s before" is still a positive start time.</summary>
    public const long T0 = 1_700_000_000 * S;

    public static readonly TimeSpan Resolution = TimeSpan.FromSeconds(15);

    public static MetricPoint Point(long ts, double cpuSeconds, ulong memory = 1024, long start = 0) =>
        new(start, ts, (ulong)(cpuSeconds * S), memory);

    public static NodeScrapeResult Node(string name, MetricPoint? node, params ContainerSample[] containers)
    {
        var batch = new NodeBatch();
        if (node is { } point)
            batch.SetNode(point);
        foreach (var container in containers)
            batch.AddContainer(container);
        return new NodeScrapeResult(name, batch, null, 1);
    }

    public static NodeScrapeResult Failed(string name) => new(name, null, "timeout to access kubelet", 10_000);

    public static ContainerSample Container(string ns, string pod, string container, MetricPoint point) => new(ns, pod, container, point);

    /// <summary>A cluster knowing the given nodes and Running pods, each labelled <c>app=&lt;name&gt;</c>.</summary>
    public static ClusterView Cluster(string[] nodes, (string Namespace, string Name)[] pods)
    {
        var nodeInfos = new Dictionary<string, NodeInfo>();
        foreach (var node in nodes)
            nodeInfos[node] = new NodeInfo(node, LabelSet.From([new("kubernetes.io/hostname", node)]), [], 10250, null, true);
        var podInfos = new Dictionary<PodKey, PodInfo>();
        foreach (var (ns, name) in pods)
            podInfos[new PodKey(ns, name)] = new PodInfo(ns, name, LabelSet.From([new("app", name)]));
        return new ClusterView(nodeInfos.ToFrozenDictionary(), podInfos.ToFrozenDictionary(), true, true);
    }

    public static ClusterView Everything(params string[] nodes) => Cluster(nodes, [("ns", "p"), ("ns", "q"), ("other", "p")]);
}
