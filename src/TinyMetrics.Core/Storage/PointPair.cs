using TinyMetrics.Parsing;

namespace TinyMetrics.Storage;

/// <summary>
/// The two slots kept per node or container: the newest point and, when one qualifies, the point the rate
/// is computed against. <see cref="Generation"/> is the store cycle that last wrote it, which tells a
/// survivor of the previous batch from a duplicate within the current one.
/// </summary>
internal struct PointPair
{
    public MetricPoint Last;
    public MetricPoint Prev;
    public bool HasPrev;
    public int Generation;

    /// <summary>Reference §6.2 (and §6.3 case 2): a newer point pushes last to prev; a stale one keeps an older prev.</summary>
    public void Advance(in MetricPoint next, bool existed)
    {
        if (existed && next.TimestampNs > Last.TimestampNs)
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
    }

    /// <summary>Reference §6.3: fresh-container shortcut, same instance, or restarted (no prev).</summary>
    public void AdvanceContainer(in MetricPoint next, bool existed, long resolutionNs)
    {
        if (IsFresh(next, resolutionNs))
        {
            // Started within this resolution: its counter began at 0 at StartTime, so one scrape gives a rate.
            Prev = next with { TimestampNs = next.StartTimeNs, CpuNanoSeconds = 0 };
            HasPrev = true;
            Last = next;
        }
        else if (existed && next.StartTimeNs < Last.TimestampNs)
        {
            Advance(next, existed);
        }
        else
        {
            HasPrev = false;
            Last = next;
        }
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
