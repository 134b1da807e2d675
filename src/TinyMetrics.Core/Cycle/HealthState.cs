using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyMetrics.Configuration;
using TinyMetrics.Discovery;

namespace TinyMetrics.Cycle;

/// <summary>
/// What the health checks look at. The scrape cycle stamps each tick's start; readers only load
/// values, so a probe never waits on the scrape.
/// </summary>
public sealed class HealthState
{
    private readonly SnapshotCell _snapshots;
    private readonly IClusterViewSource _cluster;
    private readonly TimeProvider _time;
    private readonly TimeSpan _resolution;
    private readonly ILogger _logger;
    private long _tickLastStartTicks;
    private int _shuttingDown;

    public HealthState(SnapshotCell snapshots, IClusterViewSource cluster, TimeProvider time, TimeSpan resolution, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _snapshots = snapshots;
        _cluster = cluster;
        _time = time;
        _resolution = resolution;
    }

    public void TickStarted() => Volatile.Write(ref _tickLastStartTicks, _time.GetUtcNow().UtcTicks);

    public void ShutdownStarted() => Volatile.Write(ref _shuttingDown, 1);

    /// <summary>upstream metric-storage-ready: a node and a pod are servable.</summary>
    public string? StorageReady()
    {
        if (_snapshots.Current.IsReady)
            return null;
        const string error = "no metrics to serve";
        _logger.ProbeFailed("metric-storage-ready", error);
        return error;
    }

    /// <summary>upstream metric-informer-sync: node and pod lists have been read.</summary>
    public string? InformersSynced()
    {
        var view = _cluster.Current;
        return view.NodesSynced && view.PodsSynced ? null : "informers not synced";
    }

    /// <summary>upstream metadata-informer-sync: the pod metadata list has been read.</summary>
    public string? MetadataInformerSynced() =>
        _cluster.Current.PodsSynced ? null : "1 informers not started yet: [*v1.PartialObjectMetadata]";

    /// <summary>upstream metric-collection-timely: passes before the first tick; fails when a tick is overdue by 1.5× resolution.</summary>
    public string? CollectionTimely()
    {
        var last = Volatile.Read(ref _tickLastStartTicks);
        if (last == 0)
            return null;
        var elapsed = TimeSpan.FromTicks(_time.GetUtcNow().UtcTicks - last);
        var max = _resolution * 1.5;
        if (elapsed <= max)
            return null;
        const string error = "metric collection didn't finish on time";
        _logger.ProbeFailedTimely("metric-collection-timely", error, GoDuration.Format(elapsed), GoDuration.Format(max));
        return error;
    }

    public string? NotShuttingDown() => Volatile.Read(ref _shuttingDown) == 0 ? null : "process is shutting down";
}
