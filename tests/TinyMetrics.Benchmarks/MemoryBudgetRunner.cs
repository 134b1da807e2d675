using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using TinyMetrics.Discovery;
using TinyMetrics.Parsing;
using TinyMetrics.Rendering;
using TinyMetrics.Scraping;
using TinyMetrics.Simulator;
using TinyMetrics.Simulator.Kubelets;
using TinyMetrics.Simulator.Model;
using TinyMetrics.Storage;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// <c>--memory-budget [nodes] [pods]</c>: live managed bytes each long-lived structure keeps per node and per container
/// on the simulator's realistic shape, measured as the growth of the collected heap while the production types are
/// built in the order a cycle builds them: the discovery view (interned label sets), the parser slots (one per core,
/// with their label-set tables and the batches they keep across cycles), two cycles through
/// <see cref="MetricsStore"/> (so every container holds two points and every pod a rate) and the rendered snapshot
/// (JSON and protobuf). What it cannot see — native TLS state, socket buffers, GC slack — is the difference between
/// these and the binary's RSS in <c>make bench-scale</c>.
/// </summary>
internal static class MemoryBudgetRunner
{
    private const long ScrapeMs = KubeletBodies.ScrapeMs;

    public static void Run(int nodes, int podsPerNode)
    {
        var options = new SimulatorOptions { Nodes = nodes, PodsPerNode = podsPerNode, Seed = 7 };
        var simulated = SimulatedCluster.Create(options, (ScrapeMs - 3_600_000) * 1_000_000);
        var containers = 0;
        foreach (var pod in simulated.Pods)
            containers += pod.Containers.Length;
        var first = Bodies(simulated, ScrapeMs);
        var second = Bodies(simulated, ScrapeMs + 15_000);
        long bodyBytes = 0;
        foreach (var body in first)
            bodyBytes += body.Length;
        var rows = new List<(string What, long Bytes)>();

        var mark = Live();
        var view = View(simulated);
        rows.Add(("discovery view: nodes, pods, interned label sets", Step(ref mark)));

        var tables = LoneParserTables(first, ref mark);

        var slots = new ParserSlotPool();
        var results = Parse(slots, simulated, first, ScrapeMs);
        var parsed = Step(ref mark);
        rows.Add(("parser label-set and name tables (all slots)", tables));
        rows.Add(("parsed batches kept by the slots", parsed - tables));

        var store = new MetricsStore(TimeSpan.FromSeconds(15));
        store.Store(results, view);
        slots.BeginCycle();
        results = Parse(slots, simulated, second, ScrapeMs + 15_000);
        var snapshot = store.Store(results, view);
        rows.Add(("store (two points per container) + snapshot", Step(ref mark)));

        var rendered = RenderedSnapshot.Render(snapshot);
        var renderedLive = Step(ref mark);
        rows.Add(("rendered snapshot (JSON + protobuf items, indexes)", renderedLive));

        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory budget: {nodes} nodes x {podsPerNode} pods, {containers} containers ({containers / (double)simulated.Pods.Length:0.00} per pod), " +
            $"realistic shape, kubelet body {bodyBytes / nodes / 1024.0:0.0} KiB per node"));
        Console.WriteLine("| structure | KiB per node | B per container | MiB total |");
        Console.WriteLine("|---|---|---|---|");
        long total = 0;
        foreach (var (what, bytes) in rows)
        {
            total += bytes;
            Row(what, bytes, nodes, containers);
        }
        Row("**total live**", total, nodes, containers);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rendered bytes {rendered.RenderedBytes / 1048576.0:0.0} MiB ({rendered.RenderedBytes / 1024.0 / nodes:0.0} KiB per node) of the rendered snapshot's " +
            $"{renderedLive / 1048576.0:0.0} MiB live; this process's GC: heap {gc.HeapSizeBytes / 1048576.0:0.0} MiB, committed {gc.TotalCommittedBytes / 1048576.0:0.0} MiB"));
        GC.KeepAlive(view);
        GC.KeepAlive(slots);
        GC.KeepAlive(store);
        GC.KeepAlive(rendered);
        GC.KeepAlive(first);
        GC.KeepAlive(second);
    }

    private static void Row(string what, long bytes, int nodes, int containers) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {bytes / 1024.0 / nodes:0.0} | {bytes / (double)containers:0} | {bytes / 1048576.0:0.0} |"));

    /// <summary>What discovery publishes: a node per Node, a pod per Running pod, equal label sets shared.</summary>
    private static ClusterView View(SimulatedCluster simulated)
    {
        var nodes = new Dictionary<string, NodeInfo>(simulated.Nodes.Length, StringComparer.Ordinal);
        foreach (var node in simulated.Nodes)
            nodes[node.Name] = new NodeInfo(node.Name, node.Labels, [new NodeAddress("InternalIP", node.Address)], node.KubeletPort, null, true);
        var interner = new LabelSetInterner();
        var pods = new Dictionary<PodKey, PodInfo>(simulated.Pods.Length);
        foreach (var pod in simulated.Pods)
        {
            // Copies, so the simulator's own sets are not counted as discovery's.
            var labels = interner.Intern(LabelSet.From(Copy(pod.Labels)));
            pods[new PodKey(new string(pod.Namespace), new string(pod.Name))] = new PodInfo(new string(pod.Namespace), new string(pod.Name), labels);
        }
        return new ClusterView(nodes.ToFrozenDictionary(StringComparer.Ordinal), pods.ToFrozenDictionary(), true, true);
    }

    private static List<KeyValuePair<string, string>> Copy(LabelSet labels)
    {
        var copy = new List<KeyValuePair<string, string>>(labels.Count);
        foreach (var (key, value) in labels.Pairs)
            copy.Add(new(new string(key), new string(value)));
        return copy;
    }

    /// <summary>
    /// One parser and one batch over every body: what the label-set and name tables cost alone (the batch is one
    /// node's). Both are garbage when it returns, and <paramref name="mark"/> is back at the heap without them.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static long LoneParserTables(byte[][] bodies, ref long mark)
    {
        var tables = Parsed(bodies, ref mark);
        mark = Live();
        return tables;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static long Parsed(byte[][] bodies, ref long mark)
    {
        var parser = new ResourceMetricsParser();
        var batch = new NodeBatch();
        foreach (var body in bodies)
            parser.TryParse(body, ScrapeMs * 1_000_000, batch, out _);
        var tables = Step(ref mark);
        GC.KeepAlive(parser);
        GC.KeepAlive(batch);
        return tables;
    }

    private static NodeScrapeResult[] Parse(ParserSlotPool slots, SimulatedCluster simulated, byte[][] bodies, long scrapeMs)
    {
        var results = new NodeScrapeResult[bodies.Length];
        for (var i = 0; i < bodies.Length; i++)
        {
            var name = simulated.Nodes[i].Name;
            if (!slots.TryParse(name, bodies[i], scrapeMs * 1_000_000, out var batch, out var error))
                throw new InvalidOperationException($"{name}: {error}");
            results[i] = new NodeScrapeResult(name, batch, null, 1);
        }
        return results;
    }

    private static byte[][] Bodies(SimulatedCluster simulated, long scrapeMs)
    {
        var bodies = new byte[simulated.Nodes.Length][];
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        for (var i = 0; i < bodies.Length; i++)
        {
            buffer.ResetWrittenCount();
            KubeletMetricsWriter.Write(buffer, simulated.Nodes[i], scrapeMs);
            bodies[i] = buffer.WrittenSpan.ToArray();
        }
        return bodies;
    }

    /// <summary>The collected heap's growth since <paramref name="mark"/>, which it moves on.</summary>
    private static long Step(ref long mark)
    {
        var now = Live();
        var grown = now - mark;
        mark = now;
        return grown;
    }

    private static long Live()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
