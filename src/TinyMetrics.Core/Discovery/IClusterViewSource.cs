namespace TinyMetrics.Discovery;

/// <summary>Where the scrape loop and the API read the latest <see cref="ClusterView"/> from. Lock-free.</summary>
public interface IClusterViewSource
{
    ClusterView Current { get; }
}
