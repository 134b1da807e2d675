using System.Globalization;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using TinyMetrics.Http;
using TinyMetrics.Parsing;
using TinyMetrics.Rendering;
using TinyMetrics.Storage;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// <c>--check</c> (<c>make bench-check</c>): measures the allocation budgets of the hot paths with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> around many warmed-up iterations of the production
/// code (the parser, the store, the renderer, the list copy MetricsEndpoints serves JSON lists with, and the same HPA
/// answer behind the server's request deadline, which every request passes),
/// prints measured against budget and returns 1 when any budget is exceeded. BenchmarkDotNet measures the
/// same paths more precisely but takes minutes; this runs in seconds, so CI can afford it on every run.
/// <c>--canary</c> measures only a path that allocates on purpose under a 0 B budget, so the run must fail:
/// the proof, in seconds, that the measurement sees allocation at all.
/// </summary>
internal static class AllocationBudgetCheck
{
    private const long NowNs = SyntheticCluster.T0 + 20_000_000_000;

    public static int Run(bool canary, double budgetOverride)
    {
        var budgets = new List<AllocationBudget>();
        if (canary)
            return Report(MeasureCanary(budgets));
        MeasureParser(budgets, budgetOverride);
        MeasureSummaryParser(budgets, budgetOverride);
        MeasureStore(budgets, ClusterShape.Normal100, budgetOverride);
        MeasureServing(budgets, ClusterShape.Hpa1000, budgetOverride);
        return Report(budgets);
    }

    // 30 pods, one container each and a sidecar on every fourth: the body a kubelet of the design's density returns.
    private static void MeasureParser(List<AllocationBudget> budgets, double budgetOverride)
    {
        var parser = new ResourceMetricsParser();
        var batch = new NodeBatch();
        var body = KubeletBodies.ForPods(30);
        const long requestNs = KubeletBodies.ScrapeMs * 1_000_000;
        if (!parser.TryParse(body, requestNs, batch, out var error))
            throw new InvalidOperationException("simulator body does not parse: " + error);
        const int iterations = 2_000;
        var bytes = Allocated(iterations, 200, () => parser.TryParse(body, requestNs, batch, out _));
        var samples = batch.ContainerCount + 1;
        budgets.Add(new("parse: per kubelet body (30 pods)", "B", Limit(0, budgetOverride), bytes));
        budgets.Add(new("parse: per sample", "B", Limit(0, budgetOverride), bytes / samples));
    }

    // The same node's Summary API answer (JSON): names interned, containers merged in reused arrays, so 0 B as well.
    private static void MeasureSummaryParser(List<AllocationBudget> budgets, double budgetOverride)
    {
        var cluster = Simulator.Model.SimulatedCluster.Create(
            new Simulator.SimulatorOptions { Nodes = 1, PodsPerNode = 30, Seed = 7 }, (KubeletBodies.ScrapeMs - 3_600_000) * 1_000_000);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        Simulator.Kubelets.KubeletSummaryWriter.Write(buffer, cluster.Nodes[0], KubeletBodies.ScrapeMs);
        var body = buffer.WrittenSpan.ToArray();
        var parser = new SummaryParser();
        var batch = new NodeBatch();
        const long requestNs = KubeletBodies.ScrapeMs * 1_000_000;
        if (!parser.TryParse(body, requestNs, batch, out var error) || batch.ContainerCount == 0)
            throw new InvalidOperationException("simulator summary does not parse: " + error);
        var bytes = Allocated(2_000, 200, () => parser.TryParse(body, requestNs, batch, out _));
        budgets.Add(new("parse summary: per kubelet body (30 pods)", "B", Limit(0, budgetOverride), bytes));
        budgets.Add(new("parse summary: per container", "B", Limit(0, budgetOverride), bytes / batch.ContainerCount));
    }

    private static void MeasureStore(List<AllocationBudget> budgets, ClusterShape shape, double budgetOverride)
    {
        var cluster = SyntheticCluster.Create(shape);
        var store = new MetricsStore(TimeSpan.FromSeconds(15));
        var cycle = 0;
        cluster.Refill(cycle);
        store.Store(cluster.Results, cluster.View);
        // The batches are rewritten outside the measured window: in production the parser fills them (measured above).
        var total = 0L;
        const int cycles = 60;
        for (var i = 0; i < cycles + 10; i++)
        {
            cluster.Refill(++cycle);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var pods = store.Store(cluster.Results, cluster.View).Pods.Length;
            var after = GC.GetAllocatedBytesForCurrentThread();
            if (pods != shape.Pods)
                throw new InvalidOperationException($"{pods} of {shape.Pods} pods served: the batches do not give every pod a rate");
            if (i >= 10)
                total += after - before;
        }
        budgets.Add(new($"store: per pod per cycle ({shape}, {shape.ContainersPerPod} containers)", "B", Limit(300, budgetOverride), (double)total / cycles / shape.Pods));
    }

    private static void MeasureServing(List<AllocationBudget> budgets, ClusterShape shape, double budgetOverride)
    {
        var snapshot = SyntheticCluster.Create(shape).StoreTwoCycles();
        var rendered = RenderedSnapshot.Render(snapshot);
        var renderBytes = Allocated(10, 2, () => RenderedSnapshot.Render(snapshot));
        budgets.Add(new($"render: allocated / rendered bytes ({shape})", "x", Limit(1.1, budgetOverride), renderBytes / rendered.RenderedBytes));

        // A reused body behind a pipe writer, as the response's BodyWriter: MetricsEndpoints.ListAsync's JSON path.
        using var body = new MemoryStream(128 << 20);
        var output = PipeWriter.Create(body, new StreamPipeWriterOptions(leaveOpen: true));
        var hpa = HpaQuery.ForMiddleDeployment(shape);
        var hpaItems = 0;
        var hpaBytes = Allocated(5_000, 500, () =>
        {
            body.SetLength(0);
            hpaItems = Finish(output, rendered.WritePodListAsync(output, ApiVersion.V1Beta1, NowNs, hpa.Namespace, hpa.Selector));
        });
        if (hpaItems == 0)
            throw new InvalidOperationException("the HPA query matched no pod");
        budgets.Add(new($"serve: per HPA query (ns + app=X, {hpaItems} pods)", "B", Limit(0, budgetOverride), hpaBytes));

        // The same answer behind --request-timeout's filter with a ?timeout= of its own, as Program chains it: the
        // deadline's source, timer and link to the client's token must come back for the next request.
        var deadline = new RequestDeadline(TimeSpan.FromSeconds(60), TimeProvider.System);
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/apis/metrics.k8s.io/v1beta1/namespaces/" + hpa.Namespace + "/pods";
        context.Request.QueryString = new QueryString("?labelSelector=app%3Dx&timeout=30s");
        var deadlineItems = 0;
        RequestDelegate serve = _ =>
        {
            body.SetLength(0);
            deadlineItems = Finish(output, rendered.WritePodListAsync(output, ApiVersion.V1Beta1, NowNs, hpa.Namespace, hpa.Selector));
            return Task.CompletedTask;
        };
        var deadlineBytes = Allocated(5_000, 500, () => deadline.InvokeAsync(context, serve).GetAwaiter().GetResult());
        if (deadlineItems != hpaItems || deadline.Sources.IdleCount != 1)
            throw new InvalidOperationException("the request deadline did not serve the HPA answer or kept no source for reuse");
        budgets.Add(new($"serve: per HPA query behind the request deadline ({deadlineItems} pods)", "B", Limit(0, budgetOverride), deadlineBytes));

        var podItems = 0;
        var podBytes = Allocated(20, 3, () =>
        {
            body.SetLength(0);
            podItems = Finish(output, rendered.WritePodListAsync(output, ApiVersion.V1Beta1, NowNs));
        });
        budgets.Add(new($"serve: per full pod list ({podItems} pods)", "B", Limit(0, budgetOverride), podBytes));

        var nodeItems = 0;
        var nodeBytes = Allocated(200, 20, () =>
        {
            body.SetLength(0);
            nodeItems = Finish(output, rendered.WriteNodeListAsync(output, ApiVersion.V1Beta1, NowNs));
        });
        budgets.Add(new($"serve: per full node list ({nodeItems} nodes)", "B", Limit(0, budgetOverride), nodeBytes));
    }

    // A byte array per call: what a regression such as a ToArray() in a hot path would look like.
    private static List<AllocationBudget> MeasureCanary(List<AllocationBudget> budgets)
    {
        var sink = 0;
        var bytes = Allocated(1_000, 10, () => sink += new byte[sink & 1].Length + 1);
        budgets.Add(new("canary: allocates on purpose", "B", 0, bytes));
        return budgets;
    }

    private static double Limit(double budget, double budgetOverride) => double.IsNaN(budgetOverride) ? budget : budgetOverride;

    // Mean bytes allocated on this thread per call of action, after warmUp calls that fill caches and pools.
    private static double Allocated(int iterations, int warmUp, Action action)
    {
        for (var i = 0; i < warmUp; i++)
            action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
            action();
        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / iterations;
    }

    // The writer flushes into memory, so the list completes synchronously; the footer still needs a flush.
    private static int Finish(PipeWriter output, ValueTask<int> write)
    {
        var items = write.GetAwaiter().GetResult();
        output.FlushAsync().GetAwaiter().GetResult();
        return items;
    }

    private static int Report(List<AllocationBudget> budgets)
    {
        var width = 0;
        foreach (var b in budgets)
            width = Math.Max(width, b.Name.Length);
        Console.WriteLine($"{"budget".PadRight(width)}  {"measured",12}  {"limit",8}  result");
        var failed = 0;
        foreach (var b in budgets)
        {
            var unit = b.Unit == "x" ? "×" : " B";
            var measured = b.Measured.ToString(b.Unit == "x" ? "0.000" : "0.0", CultureInfo.InvariantCulture) + unit;
            var limit = b.Limit.ToString("0.##", CultureInfo.InvariantCulture) + unit;
            Console.WriteLine($"{b.Name.PadRight(width)}  {measured,12}  {limit,8}  {(b.Met ? "ok" : "OVER BUDGET")}");
            if (!b.Met)
                failed++;
        }
        Console.WriteLine(failed == 0
            ? $"bench-check: all {budgets.Count} allocation budgets met"
            : $"bench-check: {failed} of {budgets.Count} allocation budgets exceeded");
        return failed == 0 ? 0 : 1;
    }
}
