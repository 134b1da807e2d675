using System.Collections.Frozen;
using System.Globalization;
using TinyMetrics.Discovery;
using TinyMetrics.Parsing;
using TinyMetrics.Scraping;
using TinyMetrics.Storage;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// A deterministic cluster of a <see cref="ClusterShape"/>: its <see cref="ClusterView"/> and one reusable
/// <see cref="NodeBatch"/> per node that <see cref="Refill"/> rewrites for each scrape cycle, as the parser
/// would, so every store sees strictly newer points and computes every rate.
/// </summary>
public sealed class SyntheticCluster
{
    public const long T0 = 1_700_000_000L * 1_000_000_000;
    public const long CycleNs = 15_000_000_000;

    private readonly ContainerSample[][] _templates;
    private readonly NodeBatch[] _batches;

    private SyntheticCluster(ClusterShape shape, ClusterView view, ContainerSample[][] templates, string[] nodeNames)
    {
        Shape = shape;
        View = view;
        _templates = templates;
        _batches = new NodeBatch[nodeNames.Length];
        Results = new NodeScrapeResult[nodeNames.Length];
        for (var i = 0; i < nodeNames.Length; i++)
        {
            _batches[i] = new NodeBatch();
            Results[i] = new NodeScrapeResult(nodeNames[i], _batches[i], null, 1);
        }
    }

    public ClusterShape Shape { get; }

    public ClusterView View { get; }

    public NodeScrapeResult[] Results { get; }

    /// <summary>The <c>app</c> label value and namespace of a deployment.</summary>
    public static (string App, string Namespace) Deployment(ClusterShape shape, int deployment) =>
        ("app-" + deployment.ToString("D5", CultureInfo.InvariantCulture), "ns-" + (deployment % shape.Namespaces).ToString("D2", CultureInfo.InvariantCulture));

    public static SyntheticCluster Create(ClusterShape shape)
    {
        var nodeNames = new string[shape.Nodes];
        var nodes = new Dictionary<string, NodeInfo>(shape.Nodes);
        var pods = new Dictionary<PodKey, PodInfo>(shape.Pods);
        var templates = new ContainerSample[shape.Nodes][];
        var labelSets = new Dictionary<string, LabelSet>(StringComparer.Ordinal);
        for (var n = 0; n < shape.Nodes; n++)
        {
            var name = "node-" + n.ToString("D5", CultureInfo.InvariantCulture);
            nodeNames[n] = name;
            nodes[name] = new NodeInfo(name, LabelSet.From([new("kubernetes.io/hostname", name)]), [], 10250, null, true);
            templates[n] = CreateNode(shape, n, pods, labelSets);
        }
        var view = new ClusterView(nodes.ToFrozenDictionary(StringComparer.Ordinal), pods.ToFrozenDictionary(), true, true);
        return new SyntheticCluster(shape, view, templates, nodeNames);
    }

    private static ContainerSample[] CreateNode(ClusterShape shape, int node, Dictionary<PodKey, PodInfo> pods, Dictionary<string, LabelSet> labelSets)
    {
        var samples = new ContainerSample[shape.PodsPerNode * shape.ContainersPerPod];
        for (var p = 0; p < shape.PodsPerNode; p++)
        {
            var global = node * shape.PodsPerNode + p;
            var deployment = global % shape.Deployments;
            var (app, ns) = Deployment(shape, deployment);
            var podName = app + "-7c9f8d6b5d-" + global.ToString("x6", CultureInfo.InvariantCulture);
            // Discovery interns equal label sets, so the pods of one deployment share an instance.
            if (!labelSets.TryGetValue(app, out var labels))
                labelSets[app] = labels = LabelSet.From([new("app", app), new("pod-template-hash", "7c9f8d6b5d")]);
            pods[new PodKey(ns, podName)] = new PodInfo(ns, podName, labels);
            for (var c = 0; c < shape.ContainersPerPod; c++)
            {
                var container = c == 0 ? app : "sidecar-" + c.ToString(CultureInfo.InvariantCulture);
                var memory = (ulong)(20 + (global * 7 + c) % 480) << 20;
                var start = T0 - 3_600_000_000_000L;
                samples[p * shape.ContainersPerPod + c] = new ContainerSample(ns, podName, container, new MetricPoint(start, T0, (ulong)(global % 997 + 1) * 1_000_000_000UL, memory));
            }
        }
        return samples;
    }

    /// <summary>Rewrites every batch as scrape cycle <paramref name="cycle"/> (0, 1, 2, …): 15 s later, more CPU used.</summary>
    public void Refill(int cycle)
    {
        var dt = cycle * CycleNs;
        for (var n = 0; n < _batches.Length; n++)
        {
            var batch = _batches[n];
            batch.Clear();
            batch.SetNode(new MetricPoint(0, T0 + dt, 5_000_000_000_000UL + (ulong)dt, 8UL << 30));
            foreach (ref readonly var s in _templates[n].AsSpan())
            {
                // A different rate per container (1-97 millicores) so the values are not all equal.
                var used = (ulong)dt / 1000 * (ulong)(s.Point.MemoryBytes % 97 + 1);
                batch.AddContainer(s with { Point = s.Point with { TimestampNs = T0 + dt, CpuNanoSeconds = s.Point.CpuNanoSeconds + used } });
            }
        }
    }

    /// <summary>Stores two cycles and returns the second snapshot, in which every pod has a rate.</summary>
    public MetricsSnapshot StoreTwoCycles()
    {
        var store = new MetricsStore(TimeSpan.FromSeconds(15));
        Refill(0);
        store.Store(Results, View);
        Refill(1);
        return store.Store(Results, View);
    }
}
