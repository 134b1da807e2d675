using TinyMetrics.Parsing;

namespace TinyMetrics.Storage;

/// <summary>Upstream's <c>resourceUsage</c> (reference §6.4), bit for bit.</summary>
internal static class RateCalculator
{
    private const long NanosPerSecond = 1_000_000_000;
    private const double TwoPow64 = 18446744073709551616.0;

    /// <summary>False on a start-time or CPU-counter decrease (a restart the store could not see).</summary>
    public static bool TryCompute(in MetricPoint last, in MetricPoint prev, out ulong cpuNanoCores, out long windowNs)
    {
        cpuNanoCores = 0;
        // Kubelet timestamps, not our clock: a delayed scrape must not inflate the CPU rate.
        windowNs = last.TimestampNs - prev.TimestampNs;
        if (last.StartTimeNs < prev.StartTimeNs || last.CpuNanoSeconds < prev.CpuNanoSeconds || windowNs <= 0)
            return false;
        // Go's Duration.Seconds(): whole seconds plus the fraction, which rounds differently from ns / 1e9.
        var seconds = (windowNs / NanosPerSecond) + ((double)(windowNs % NanosPerSecond) / 1e9);
        var rate = (last.CpuNanoSeconds - prev.CpuNanoSeconds) / seconds;
        cpuNanoCores = rate < TwoPow64 ? (ulong)rate : ulong.MaxValue;
        return true;
    }
}
