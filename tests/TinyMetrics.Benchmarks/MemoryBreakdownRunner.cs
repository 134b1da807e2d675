using System.Buffers;
using System.Globalization;
using TinyMetrics.Rendering;
using TinyMetrics.Parsing;
using TinyMetrics.Simulator;
using TinyMetrics.Simulator.Kubelets;
using TinyMetrics.Simulator.Model;
using TinyMetrics.Storage;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// <c>--memory-breakdown [nodes]</c>: live managed bytes per node that each long-lived structure keeps, measured
/// as the growth of the collected heap while it is built for a cluster of that size (30 pods per node, the
/// simulator's bodies for the parser). It tells where memory per node goes without a heap dump.
/// </summary>
internal static class MemoryBreakdownRunner
{
    public static void Run(int nodes)
    {
        const int podsPerNode = 30;
        var shape = new ClusterShape($"{nodes}x{podsPerNode}", nodes, podsPerNode, nodes, 10, 1);
        var baseline = Live();

        var cluster = SyntheticCluster.Create(shape);
        var afterCluster = Live();
        var store = new MetricsStore(TimeSpan.FromSeconds(15));
        cluster.Refill(0);
        store.Store(cluster.Results, cluster.View);
        cluster.Refill(1);
        var snapshot = store.Store(cluster.Results, cluster.View);
        var afterStore = Live();
        var rendered = RenderedSnapshot.Render(snapshot);
        var afterRender = Live();

        var bodies = Bodies(nodes, podsPerNode);
        var afterBodies = Live();
        var parser = new ResourceMetricsParser();
        var batch = new NodeBatch();
        foreach (var body in bodies)
            parser.TryParse(body, KubeletBodies.ScrapeMs * 1_000_000, batch, out _);
        var afterParser = Live();

        Report("discovery view + parsed batches (synthetic)", afterCluster - baseline, nodes);
        Report("store (two points per container) + snapshot", afterStore - afterCluster, nodes);
        Report("rendered snapshot (JSON bytes, indexes)", afterRender - afterStore, nodes);
        Report("one parser's label-set and name tables", afterParser - afterBodies, nodes);
        GC.KeepAlive(rendered);
        GC.KeepAlive(store);
        GC.KeepAlive(parser);
        GC.KeepAlive(bodies);
    }

    private static byte[][] Bodies(int nodes, int podsPerNode)
    {
        var options = new SimulatorOptions { Nodes = nodes, PodsPerNode = podsPerNode, Seed = 7 };
        var simulated = SimulatedCluster.Create(options, (KubeletBodies.ScrapeMs - 3_600_000) * 1_000_000);
        var bodies = new byte[nodes][];
        var buffer = new ArrayBufferWriter<byte>(podsPerNode * 1024);
        for (var i = 0; i < nodes; i++)
        {
            buffer.ResetWrittenCount();
            KubeletMetricsWriter.Write(buffer, simulated.Nodes[i], KubeletBodies.ScrapeMs);
            bodies[i] = buffer.WrittenSpan.ToArray();
        }
        return bodies;
    }

    private static long Live()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void Report(string what, long bytes, int nodes) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / nodes,8:F1} KiB/node  {bytes / 1048576.0,8:F1} MiB  {what}"));
}
