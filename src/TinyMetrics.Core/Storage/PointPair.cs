using TinyMetrics.Parsing;

namespace TinyMetrics.Storage;

/// <summary>
/// The two slots kept per node or container: the newest point and, when one qualifies, the point the rate
/// is computed against. <see cref="Generation"/> is the store cycle that last wrote it, which tells a
/// survivor of the previous batch from a duplicate within the current one.
/// </summary>
/// <remarks>
/// A start-up scrape's point (<see cref="LastIsStartup"/>) is served but never becomes a regular tick's prev:
/// the first regular tick replaces it and keeps the prev, so its rate spans the whole time since the first
/// tick's point, one resolution, as upstream's second tick does, and not the few seconds since the start-up scrape.
/// </remarks>
internal struct PointPair
{
    public MetricPoint Last;
    public MetricPoint Prev;
    public bool HasPrev;
    public bool LastIsStartup;
    public int Generation;

    /// <summary>
    /// As metrics-server pkg/storage/node.go and pod.go: a newer point pushes last to prev; a stale one keeps an older prev.
    /// Returns true when <paramref name="next"/> is stale (not newer than the stored last point).
    /// </summary>
    /// <param name="startup">The point comes from a start-up scrape (<see cref="LastIsStartup"/>).</param>
    public bool Advance(in MetricPoint next, bool existed, bool startup)
    {
        if (existed && LastIsStartup && !startup && HasPrev && Prev.TimestampNs < next.TimestampNs)
        {
            // Not stale even when the kubelet has not refreshed since the start-up scrape: the rate is against prev.
            Last = next;
            LastIsStartup = false;
            return false;
        }
        LastIsStartup = startup;
        var stale = existed && next.TimestampNs <= Last.TimestampNs;
        if (existed && !stale)
        {
            Prev = Last;
            HasPrev = true;
        }
        else if (!(existed && HasPrev && Prev.TimestampNs < next.TimestampNs))
        {
            // First sighting, or the kubelet sent a point no newer than the kept prev: no rate until the next cycle.
            HasPrev = false;
        }
        Last = next;
        return stale;
    }

    /// <summary>
    /// As metrics-server pkg/storage/pod.go: fresh-container shortcut, same instance, or restarted (no prev).
    /// Returns true when the same instance sent a stale point (see <see cref="Advance"/>).
    /// </summary>
    public bool AdvanceContainer(in MetricPoint next, bool existed, long resolutionNs, bool startup)
    {
        if (IsFresh(next, resolutionNs))
        {
            // Started within this resolution: its counter began at 0 at StartTime, so one scrape gives a rate.
            // That prev is made up, not a point worth keeping, so the next regular tick pushes as upstream's.
            Prev = next with { TimestampNs = next.StartTimeNs, CpuNanoSeconds = 0 };
            HasPrev = true;
            Last = next;
            LastIsStartup = false;
        }
        else if (existed && next.StartTimeNs < Last.TimestampNs)
        {
            return Advance(next, existed, startup);
        }
        else
        {
            HasPrev = false;
            Last = next;
            LastIsStartup = startup;
        }
        return false;
    }

    private static bool IsFresh(in MetricPoint point, long resolutionNs)
    {
        const long freshContainerMinNs = 10_000_000_000;
        if (point.StartTimeNs >= point.TimestampNs)
            return false;
        var age = point.TimestampNs - point.StartTimeNs;
        return age >= freshContainerMinNs && age < resolutionNs;
    }
}

/// <summary>metrics-server's <c>resourceUsage</c> (pkg/storage/types.go), bit for bit.</summary>
internal static class RateCalculator
{
    private const long NanosPerSecond = 1_000_000_000;
    private const double TwoPow64 = 18446744073709551616.0;

    /// <summary>Why <see cref="TryCompute"/> refused a pair, in resourceUsage's words.</summary>
    public static string FailureOf(in MetricPoint last, in MetricPoint prev) =>
        last.StartTimeNs < prev.StartTimeNs ? "unexpected decrease in startTime of node/container"
        : last.CpuNanoSeconds < prev.CpuNanoSeconds ? "unexpected decrease in cumulative CPU usage value"
        : "non-positive window between the two points";

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
