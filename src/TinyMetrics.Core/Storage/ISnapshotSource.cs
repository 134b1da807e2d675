namespace TinyMetrics.Storage;

/// <summary>The latest published <see cref="MetricsSnapshot"/>; readers load it once per request.</summary>
public interface ISnapshotSource
{
    MetricsSnapshot Current { get; }
}
