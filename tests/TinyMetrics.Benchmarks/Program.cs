using BenchmarkDotNet.Running;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// BenchmarkDotNet's switcher (<c>--filter '*Parser*'</c>, <c>--job short</c>, …), or
/// <c>--hpa-percentiles [calls]</c> for the Stopwatch percentile run of the HPA-shaped query at 10,000 nodes,
/// or <c>--memory-breakdown [nodes]</c> for the live bytes per node of each long-lived structure,
/// or <c>--proto-vs-json [rounds]</c> for protobuf against JSON render time and list size at 10,000 nodes.
/// </summary>
internal static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--hpa-percentiles")
        {
            var calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
            HpaPercentileRunner.Run(ClusterShape.Hpa10000, calls, fullListCalls: 50);
            return;
        }
        if (args.Length > 0 && args[0] == "--memory-breakdown")
        {
            MemoryBreakdownRunner.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000);
            return;
        }
        if (args.Length > 0 && args[0] == "--proto-vs-json")
        {
            ProtoVsJsonRunner.Run(ClusterShape.Hpa10000, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
