using BenchmarkDotNet.Running;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// BenchmarkDotNet's switcher (<c>--filter '*Parser*'</c>, <c>--job short</c>, …), or
/// <c>--hpa-percentiles [calls]</c> for the Stopwatch percentile run of the HPA-shaped query at 10,000 nodes,
/// or <c>--memory-breakdown [nodes]</c> for the live bytes per node of each long-lived structure,
/// or <c>--memory-budget [nodes] [pods]</c> for the live bytes per node and per container of each structure on the realistic shape,
/// or <c>--scale-latency --url URL --dir SIMDIR</c> for sequential HPA-shaped and full-list latencies of a running server (<c>make bench-scale</c>),
/// or <c>--proto-vs-json [rounds]</c> for protobuf against JSON render time and list size at 10,000 nodes,
/// or <c>--load [--nodes N] [--clients N] [--seconds N] [--runs N] [--max-requests-inflight N]</c> for the client load run against the
/// published binary and the simulator (<c>make bench-load</c>),
/// or <c>--check [--canary] [--budget N]</c> for the allocation budgets (<c>make bench-check</c>; exit 1 when one is exceeded).
/// </summary>
internal static class BenchmarkProgram
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--check")
        {
            var budget = Array.IndexOf(args, "--budget") is var at and > 0 && at + 1 < args.Length
                ? double.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture)
                : double.NaN;
            return AllocationBudgetCheck.Run(canary: Array.IndexOf(args, "--canary") > 0, budget);
        }
        if (args.Length > 0 && args[0] == "--load")
            return LoadRunner.Run(args);
        if (args.Length > 0 && args[0] == "--hpa-percentiles")
        {
            var calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
            HpaPercentileRunner.Run(ClusterShape.Hpa10000, calls, fullListCalls: 50);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--memory-breakdown")
        {
            MemoryBreakdownRunner.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--memory-budget")
        {
            MemoryBudgetRunner.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000,
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 30);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--scale-latency")
            return ScaleLatencyRunner.Run(args);
        if (args.Length > 0 && args[0] == "--proto-vs-json")
        {
            ProtoVsJsonRunner.Run(ClusterShape.Hpa10000, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
            return 0;
        }
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
