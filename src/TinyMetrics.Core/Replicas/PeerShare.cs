namespace TinyMetrics.Replicas;

/// <summary>
/// What this replica answers on <see cref="Path"/>: its newest share (<see cref="ShareBuilder"/>'s format), replaced
/// wholesale after each scrape; a request copies the bytes it loaded. Null until the first scrape of its own nodes.
/// </summary>
public sealed class PeerShare
{
    /// <summary>The non-resource URL peers GET, which the ClusterRole grants (verb get) to the replicas' service account.</summary>
    public const string Path = "/tinymetrics/peer-share";

    public const string ContentType = "application/vnd.tinymetrics.share";

    private byte[]? _current;

    public byte[]? Current => Volatile.Read(ref _current);

    public void Publish(byte[] share) => Volatile.Write(ref _current, share);
}
