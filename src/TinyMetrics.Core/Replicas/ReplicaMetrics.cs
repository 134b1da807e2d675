namespace TinyMetrics.Replicas;

/// <summary>The HA families of /metrics: nodes this replica owns, and peer fetches by result. Written by the scrape loop.</summary>
public sealed class ReplicaMetrics
{
    private readonly long[] _fetches = new long[PeerFetchResult.All.Length];
    private long _owned;
    private long _members;

    /// <summary>tinymetrics_replica_nodes_owned: the nodes this replica scraped as its own share last cycle.</summary>
    public long NodesOwned => Volatile.Read(ref _owned);

    /// <summary>tinymetrics_replica_members: ready replicas in the Service's EndpointSlices, this one included when listed.</summary>
    public long Members => Volatile.Read(ref _members);

    public void SetCycle(int owned, int members)
    {
        Volatile.Write(ref _owned, owned);
        Volatile.Write(ref _members, members);
    }

    public void CountFetch(string result)
    {
        var index = Array.IndexOf(PeerFetchResult.All, result);
        if (index >= 0)
            Interlocked.Increment(ref _fetches[index]);
    }

    /// <summary>tinymetrics_peer_fetch_total for one <paramref name="result"/> (one of <see cref="PeerFetchResult.All"/>).</summary>
    public long Fetches(string result)
    {
        var index = Array.IndexOf(PeerFetchResult.All, result);
        return index < 0 ? 0 : Volatile.Read(ref _fetches[index]);
    }
}
