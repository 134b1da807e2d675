using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyMetrics.Discovery;
using TinyMetrics.Scraping;

namespace TinyMetrics.Replicas;

/// <summary>
/// The scrape step of an HA replica (<c>--replicas-from</c>): each node belongs to one ready replica by rendezvous
/// hashing of its name over the members' addresses; this replica fetches its peers' newest shares, scrapes its own
/// nodes plus every node a peer did not deliver (unreachable, timed out, not ready with a share yet, or silent about
/// the node), and answers every node, so the store and the API above see a whole cluster as a single replica would.
/// </summary>
/// <remarks>
/// Peers' ticks are not aligned, so a share is the peer's newest scrape, at most about one resolution old; the
/// store rates points by their kubelet timestamps, so every replica computes the same rate from the same pair of
/// points, and a share fetched twice repeats a timestamp the store already keeps (a stale point changes nothing).
/// Replicas therefore serve the same numbers for a node once each has fetched the same two points. Shares older
/// than <see cref="MaxShareAge"/> (a peer whose cycles stall) are not used: the node is scraped here instead.
/// Not reentrant, as the scraper it wraps; the batches of a result stay valid until the next call.
/// </remarks>
public sealed class ShardedScraper : INodeScraper
{
    private readonly INodeScraper _inner;
    private readonly IMembershipSource _membership;
    private readonly IPeerShareFetcher _peers;
    private readonly PeerShare _share;
    private readonly ReplicaMetrics _metrics;
    private readonly TimeSpan _peerDeadline;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ShareDecoder _decoder = new();
    private readonly ShareBuilder _builder = new();
    private readonly HashSet<string> _failingPeers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _scrapedNow = new(StringComparer.Ordinal);

    // Where each node's record is in the last published share, so a start-up scrape of a few nodes keeps the others'.
    private byte[] _lastShare = [];
    private Dictionary<string, ShareRecord> _records = new(StringComparer.Ordinal);
    private Dictionary<string, ShareRecord> _nextRecords = new(StringComparer.Ordinal);

    /// <param name="resolution">The scrape interval: peers' shares are awaited for a quarter of it, and trusted for two of it.</param>
    public ShardedScraper(INodeScraper inner, IMembershipSource membership, IPeerShareFetcher peers, PeerShare share, ReplicaMetrics metrics,
        TimeSpan resolution, TimeProvider time, ILogger? logger = null)
    {
        _inner = inner;
        _membership = membership;
        _peers = peers;
        _share = share;
        _metrics = metrics;
        _peerDeadline = resolution / 4;
        MaxShareAge = (resolution * 2) + TimeSpan.FromSeconds(5);
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How old (by the peer's scrape time, on this replica's clock) a shared node may be and still be used.</summary>
    public TimeSpan MaxShareAge { get; }

    public async Task<NodeScrapeResult[]> ScrapeAsync(IReadOnlyList<NodeInfo> nodes, CancellationToken cycleToken)
    {
        var membership = _membership.Current;
        _decoder.BeginCycle();
        if (membership.IsAlone)
        {
            var all = await _inner.ScrapeAsync(nodes, cycleToken).ConfigureAwait(false);
            PublishShare(all, membership);
            _metrics.SetCycle(nodes.Count, membership.Members.Length);
            return all;
        }

        var wanted = new HashSet<string>?[membership.Members.Length];
        var owned = 0;
        foreach (var node in nodes)
        {
            var owner = membership.OwnerOf(node.Name);
            if (owner == membership.Self)
                owned++;
            else
                (wanted[owner] ??= new HashSet<string>(StringComparer.Ordinal)).Add(node.Name);
        }
        var shared = await FetchSharesAsync(membership, wanted, cycleToken).ConfigureAwait(false);

        var toScrape = new List<NodeInfo>(owned);
        var slots = new int[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            slots[i] = shared.ContainsKey(nodes[i].Name) ? -1 : toScrape.Count;
            if (slots[i] >= 0)
                toScrape.Add(nodes[i]);
        }
        NodeScrapeResult[] scraped = toScrape.Count == 0 ? [] : await _inner.ScrapeAsync(toScrape, cycleToken).ConfigureAwait(false);
        var results = new NodeScrapeResult[nodes.Count];
        for (var i = 0; i < results.Length; i++)
            results[i] = slots[i] >= 0 ? scraped[slots[i]] : shared[nodes[i].Name];

        PublishShare(scraped, membership);
        _metrics.SetCycle(owned, membership.Members.Length);
        _logger.ShardedCycle(owned, shared.Count, toScrape.Count - owned, membership.Members.Length - (membership.Self >= 0 ? 1 : 0));
        return results;
    }

    // Every peer that owns a node is asked at once; all answers are awaited together, for a quarter resolution at most.
    private async Task<Dictionary<string, NodeScrapeResult>> FetchSharesAsync(
        Membership membership, HashSet<string>?[] wanted, CancellationToken cycleToken)
    {
        using var deadline = new CancellationTokenSource(_peerDeadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cycleToken, deadline.Token);
        var fetches = new Task<PeerFetch>?[wanted.Length];
        for (var m = 0; m < wanted.Length; m++)
        {
            if (wanted[m] is not null)
                fetches[m] = _peers.FetchAsync(membership.Members[m], linked.Token);
        }
        var shared = new Dictionary<string, NodeScrapeResult>(StringComparer.Ordinal);
        var decoded = new List<NodeScrapeResult>();
        var oldestNs = UnixNanoseconds(_time.GetUtcNow() - MaxShareAge);
        for (var m = 0; m < fetches.Length; m++)
        {
            if (fetches[m] is not { } task)
                continue;
            using var fetch = await task.ConfigureAwait(false);
            var result = fetch.Result;
            var error = fetch.Error;
            decoded.Clear();
            if (result == PeerFetchResult.Ok && !_decoder.TryDecode(fetch.Share, wanted[m]!, oldestNs, decoded))
                (result, error) = (PeerFetchResult.Invalid, "malformed share");
            _metrics.CountFetch(result);
            NoteOutcome(membership.Members[m], result, error, wanted[m]!.Count);
            foreach (var node in decoded)
                shared.TryAdd(node.NodeName, node);
        }
        return shared;
    }

    // One line when a peer starts failing and one when it is back, not one per cycle.
    private void NoteOutcome(ReplicaEndpoint peer, string result, string? error, int nodes)
    {
        var name = peer.ToString();
        if (result == PeerFetchResult.Ok)
        {
            if (_failingPeers.Remove(name))
                _logger.PeerRecovered(name);
        }
        else if (_failingPeers.Add(name))
            _logger.PeerFetchFailed(name, result, nodes, error ?? "");
    }

    // The share peers fetch: this call's results for the nodes this replica owns, plus, for an owned node this call did
    // not scrape (a start-up scrape asks only the pending ones), its record from the last share while it is recent.
    private void PublishShare(ReadOnlySpan<NodeScrapeResult> scraped, Membership membership)
    {
        var nowNs = UnixNanoseconds(_time.GetUtcNow());
        var oldestNs = UnixNanoseconds(_time.GetUtcNow() - MaxShareAge);
        _builder.Begin();
        _nextRecords.Clear();
        _scrapedNow.Clear();
        foreach (ref readonly var result in scraped)
        {
            if (result.FromPeer || !Owns(membership, result.NodeName) || !_scrapedNow.Add(result.NodeName))
                continue;
            var start = _builder.Add(result, nowNs);
            _nextRecords[result.NodeName] = new ShareRecord(start, _builder.Written.Length - start, nowNs);
        }
        foreach (var (node, record) in _records)
        {
            if (_scrapedNow.Contains(node) || record.ScrapedNs < oldestNs || !Owns(membership, node))
                continue;
            var start = _builder.AddRecord(_lastShare.AsSpan(record.Start, record.Length));
            _nextRecords[node] = record with { Start = start };
        }
        _lastShare = _builder.ToArray();
        (_records, _nextRecords) = (_nextRecords, _records);
        _share.Publish(_lastShare);
    }

    private static bool Owns(Membership membership, string node) => membership.IsAlone || membership.OwnerOf(node) == membership.Self;

    private static long UnixNanoseconds(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    private readonly record struct ShareRecord(int Start, int Length, long ScrapedNs);
}
