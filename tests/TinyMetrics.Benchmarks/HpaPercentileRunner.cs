using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using TinyMetrics.Rendering;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// <c>--hpa-percentiles</c>: the tail latency BenchmarkDotNet's means hide. Runs the HPA-shaped query
/// (and, for scale, the full pod list) on the 10,000 × 30 cluster after a warm-up and prints percentiles
/// of single-call Stopwatch times, plus the bytes allocated over all calls.
/// </summary>
internal static class HpaPercentileRunner
{
    private const long NowNs = SyntheticCluster.T0 + 20_000_000_000;

    public static void Run(ClusterShape shape, int hpaCalls, int fullListCalls)
    {
        Console.WriteLine($"shape {shape}: building snapshot...");
        var rendered = RenderedSnapshot.Render(SyntheticCluster.Create(shape).StoreTwoCycles());
        var hpa = HpaQuery.ForMiddleDeployment(shape);
        using var body = new MemoryStream(1 << 20);
        var output = PipeWriter.Create(body, new StreamPipeWriterOptions(leaveOpen: true));
        var items = 0;
        Measure("HPA query (ns + app=X)", hpaCalls, hpaCalls / 10, () =>
        {
            body.SetLength(0);
            items = WriteList(output, rendered.WritePodListAsync(output, ApiVersion.V1Beta1, NowNs, hpa.Namespace, hpa.Selector));
        });
        Console.WriteLine($"  {items} pods, {body.Length} bytes per response");
        Measure("full pod list", fullListCalls, 5, () =>
        {
            body.SetLength(0);
            items = WriteList(output, rendered.WritePodListAsync(output, ApiVersion.V1Beta1, NowNs));
        });
        Console.WriteLine($"  {items} pods, {body.Length} bytes per response");
    }

    // The writer flushes into memory, so the list completes synchronously; the footer still needs a flush.
    private static int WriteList(PipeWriter output, ValueTask<int> write)
    {
        var items = write.GetAwaiter().GetResult();
        output.FlushAsync().GetAwaiter().GetResult();
        return items;
    }

    private static void Measure(string name, int calls, int warmup, Action call)
    {
        for (var i = 0; i < warmup; i++)
            call();
        var ticks = new long[calls];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Array.Sort(ticks);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {calls} calls after {warmup} warm-up; p50 {Ms(ticks, 0.50)} ms, p99 {Ms(ticks, 0.99)} ms, " +
            $"p99.9 {Ms(ticks, 0.999)} ms, max {Ms(ticks, 1.0)} ms; {allocated} B allocated in total"));
    }

    private static double Ms(long[] sorted, double quantile)
    {
        var index = Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1);
        return Math.Round(sorted[Math.Max(0, index)] * 1000.0 / Stopwatch.Frequency, 4);
    }
}
