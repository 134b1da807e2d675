using TinyMetrics.Rendering;
using TinyMetrics.Storage;

namespace TinyMetrics.Cycle;

/// <summary>
/// The one reference the API reads: the latest snapshot with its pre-rendered bytes. The scrape
/// cycle replaces it whole; a request loads it once and keeps that instance to the end.
/// </summary>
public sealed class SnapshotCell
{
    private PublishedView _current = new(RenderedSnapshot.Empty, 0);

    public PublishedView View => Volatile.Read(ref _current);

    public MetricsSnapshot Current => View.Rendered.Snapshot;

    public void Publish(RenderedSnapshot next) => Volatile.Write(ref _current, new PublishedView(next, OldestTimestamp(next.Snapshot)));

    // Lists report freshness against the oldest item, computed here once instead of per item per request.
    private static long OldestTimestamp(MetricsSnapshot snapshot)
    {
        var oldest = long.MaxValue;
        foreach (var node in snapshot.Nodes)
            oldest = Math.Min(oldest, node.TimestampNs);
        foreach (var pod in snapshot.Pods)
        {
            if (pod.TimestampNs != 0)
                oldest = Math.Min(oldest, pod.TimestampNs);
        }
        return oldest == long.MaxValue ? 0 : oldest;
    }
}

/// <summary>A published snapshot and what is derived from it once.</summary>
public sealed record PublishedView(RenderedSnapshot Rendered, long OldestTimestampNs);
