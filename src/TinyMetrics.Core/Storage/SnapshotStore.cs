namespace TinyMetrics.Storage;

/// <summary>
/// Holds the published <see cref="MetricsSnapshot"/>. The scrape loop is the only writer; readers load
/// <see cref="Current"/> once per request and never take a lock.
/// </summary>
public sealed class SnapshotStore : ISnapshotSource
{
    // Replaced wholesale by the scrape loop; a reader keeps the instance it loaded for the whole request.
    private MetricsSnapshot _current = MetricsSnapshot.Empty;

    public MetricsSnapshot Current => Volatile.Read(ref _current);

    public void Publish(MetricsSnapshot next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _current, next);
    }
}
