namespace TinyMetrics.Discovery;

/// <summary>Where the scrape cycle and the API read the latest <see cref="ClusterView"/> from. Lock-free.</summary>
public interface IClusterViewSource
{
    ClusterView Current { get; }

    /// <summary>Completes once the node and pod lists have both been read.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
