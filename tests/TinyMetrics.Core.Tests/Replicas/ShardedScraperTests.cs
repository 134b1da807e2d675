using TinyMetrics.Discovery;
using TinyMetrics.Parsing;
using TinyMetrics.Scraping;

namespace TinyMetrics.Replicas.Tests;

public sealed class ShardedScraperTests
{
    private static readonly ReplicaEndpoint[] Replicas = [new("10.0.0.1", 4443), new("10.0.0.2", 4443), new("10.0.0.3", 4443)];

    private static readonly NodeInfo[] Nodes = Enumerable.Range(0, 30)
        .Select(i => new NodeInfo($"node-{i:D2}", LabelSet.Empty, [], 10250, null, true)).ToArray();

    private sealed class FixedMembership(Membership membership) : IMembershipSource
    {
        public Membership Current { get; set; } = membership;
    }

    // Answers every node with a one-container batch whose CPU counter is the node's index.
    private sealed class RecordingScraper : INodeScraper
    {
        public List<string[]> Calls { get; } = [];

        public Task<NodeScrapeResult[]> ScrapeAsync(IReadOnlyList<NodeInfo> nodes, CancellationToken cycleToken)
        {
            Calls.Add(nodes.Select(n => n.Name).ToArray());
            return Task.FromResult(nodes.Select(n => new NodeScrapeResult(n.Name, BatchOf(n.Name), null, 1)).ToArray());
        }
    }

    private sealed class FakePeers : IPeerShareFetcher
    {
        public Dictionary<string, Func<PeerFetch>> Answers { get; } = [];

        public List<string> Asked { get; } = [];

        public Task<PeerFetch> FetchAsync(ReplicaEndpoint peer, CancellationToken cancellationToken)
        {
            Asked.Add(peer.Address);
            return Task.FromResult(Answers.TryGetValue(peer.Address, out var answer)
                ? answer()
                : PeerFetch.Failed(PeerFetchResult.Unreachable, "connection refused"));
        }
    }

    private static NodeBatch BatchOf(string node)
    {
        var batch = new NodeBatch();
        var index = ulong.Parse(node.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
        var now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        batch.SetNode(new MetricPoint(0, now, 1_000 + index, 2_000));
        batch.AddContainer(new ContainerSample("default", "pod-" + node, "app", new MetricPoint(1, now, 10 + index, 20)));
        return batch;
    }

    // What replica `self` would share: its own nodes' batches, encoded as it publishes them.
    private static byte[] ShareOf(int self, params string[] except)
    {
        var membership = new Membership(Replicas, self);
        var builder = new ShareBuilder();
        builder.Begin();
        var now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        foreach (var node in Nodes)
        {
            if (membership.OwnerOf(node.Name) == self && !except.Contains(node.Name))
                builder.Add(new NodeScrapeResult(node.Name, BatchOf(node.Name), null, 1), now);
        }
        return builder.ToArray();
    }

    private static (ShardedScraper Scraper, RecordingScraper Inner, FakePeers Peers, PeerShare Share, ReplicaMetrics Metrics) Create(Membership membership)
    {
        var inner = new RecordingScraper();
        var peers = new FakePeers();
        var share = new PeerShare();
        var metrics = new ReplicaMetrics();
        return (new ShardedScraper(inner, new FixedMembership(membership), peers, share, metrics, TimeSpan.FromSeconds(15), TimeProvider.System), inner, peers, share, metrics);
    }

    private static string[] OwnedBy(int member) =>
        Nodes.Where(n => new Membership(Replicas, member).OwnerOf(n.Name) == member).Select(n => n.Name).ToArray();

    [Test]
    public async Task Scrape_Alone_ScrapesEveryNodeAndSharesThemAll()
    {
        var (scraper, inner, peers, share, metrics) = Create(Membership.Alone);

        var results = await scraper.ScrapeAsync(Nodes, CancellationToken.None);

        await Assert.That(inner.Calls.Single().Length).IsEqualTo(Nodes.Length);
        await Assert.That(peers.Asked).IsEmpty();
        await Assert.That(results.All(r => r.Succeeded && !r.FromPeer)).IsTrue();
        await Assert.That(metrics.NodesOwned).IsEqualTo(Nodes.Length);
        var decoded = new List<NodeScrapeResult>();
        new ShareDecoder().TryDecode(share.Current, Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal), 0, decoded);
        await Assert.That(decoded.Count).IsEqualTo(Nodes.Length);
    }

    [Test]
    public async Task Scrape_PeersAnswer_ScrapesOnlyItsShareAndServesEveryNodeWithPeersPoints()
    {
        var (scraper, inner, peers, share, metrics) = Create(new Membership(Replicas, 0));
        peers.Answers["10.0.0.2"] = () => PeerFetch.FromBytes(ShareOf(1));
        peers.Answers["10.0.0.3"] = () => PeerFetch.FromBytes(ShareOf(2));

        var results = await scraper.ScrapeAsync(Nodes, CancellationToken.None);

        await Assert.That(inner.Calls.Single()).IsEquivalentTo(OwnedBy(0));
        await Assert.That(results.Select(r => r.NodeName)).IsEquivalentTo(Nodes.Select(n => n.Name));
        await Assert.That(results.All(r => r.Succeeded)).IsTrue();
        await Assert.That(results.Count(r => r.FromPeer)).IsEqualTo(OwnedBy(1).Length + OwnedBy(2).Length);
        foreach (var result in results)
            await Assert.That(result.Batch!.Node.CpuNanoSeconds).IsEqualTo(BatchOf(result.NodeName).Node.CpuNanoSeconds);
        await Assert.That(metrics.NodesOwned).IsEqualTo(OwnedBy(0).Length);
        await Assert.That(metrics.Fetches(PeerFetchResult.Ok)).IsEqualTo(2);
        var decoded = new List<NodeScrapeResult>();
        new ShareDecoder().TryDecode(share.Current, Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal), 0, decoded);
        await Assert.That(decoded.Select(r => r.NodeName)).IsEquivalentTo(OwnedBy(0));
    }

    [Test]
    public async Task Scrape_PeerUnreachable_ItsNodesScrapedHereAndNotShared()
    {
        var (scraper, inner, peers, share, metrics) = Create(new Membership(Replicas, 0));
        peers.Answers["10.0.0.2"] = () => PeerFetch.FromBytes(ShareOf(1));

        var results = await scraper.ScrapeAsync(Nodes, CancellationToken.None);

        await Assert.That(inner.Calls.Single()).IsEquivalentTo(OwnedBy(0).Concat(OwnedBy(2)));
        await Assert.That(results.All(r => r.Succeeded)).IsTrue();
        await Assert.That(metrics.Fetches(PeerFetchResult.Unreachable)).IsEqualTo(1);
        var decoded = new List<NodeScrapeResult>();
        new ShareDecoder().TryDecode(share.Current, Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal), 0, decoded);
        await Assert.That(decoded.Select(r => r.NodeName)).IsEquivalentTo(OwnedBy(0));
    }

    [Test]
    public async Task Scrape_ShareMissesANodeOrIsMalformed_ThoseNodesScrapedHere()
    {
        var missing = OwnedBy(1)[0];
        var (scraper, inner, peers, _, metrics) = Create(new Membership(Replicas, 0));
        peers.Answers["10.0.0.2"] = () => PeerFetch.FromBytes(ShareOf(1, except: missing));
        peers.Answers["10.0.0.3"] = () => PeerFetch.FromBytes([1, 2, 3]);

        await scraper.ScrapeAsync(Nodes, CancellationToken.None);

        await Assert.That(inner.Calls.Single()).IsEquivalentTo(OwnedBy(0).Append(missing).Concat(OwnedBy(2)));
        await Assert.That(metrics.Fetches(PeerFetchResult.Invalid)).IsEqualTo(1);
    }

    [Test]
    public async Task Scrape_SelfNotListed_EverythingFromPeersNothingScraped()
    {
        var (scraper, inner, peers, _, metrics) = Create(new Membership(Replicas[1..], -1));
        var peerMembers = new Membership(Replicas[1..], 0);
        peers.Answers["10.0.0.2"] = () => PeerFetch.FromBytes(ShareFor(peerMembers, 0));
        peers.Answers["10.0.0.3"] = () => PeerFetch.FromBytes(ShareFor(peerMembers, 1));

        var results = await scraper.ScrapeAsync(Nodes, CancellationToken.None);

        await Assert.That(inner.Calls).IsEmpty();
        await Assert.That(results.All(r => r.FromPeer && r.Succeeded)).IsTrue();
        await Assert.That(metrics.NodesOwned).IsEqualTo(0);
    }

    [Test]
    public async Task Scrape_StartupScrapeOfSomeNodes_ShareKeepsTheOthersRecords()
    {
        var (scraper, inner, _, share, _) = Create(Membership.Alone);
        await scraper.ScrapeAsync(Nodes, CancellationToken.None);

        await scraper.ScrapeAsync(Nodes[..3], CancellationToken.None);

        var decoded = new List<NodeScrapeResult>();
        new ShareDecoder().TryDecode(share.Current, Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal), 0, decoded);
        await Assert.That(decoded.Select(r => r.NodeName)).IsEquivalentTo(Nodes.Select(n => n.Name));
        await Assert.That(inner.Calls[1].Length).IsEqualTo(3);
    }

    private static byte[] ShareFor(Membership membership, int self)
    {
        var builder = new ShareBuilder();
        builder.Begin();
        var now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        foreach (var node in Nodes)
        {
            if (membership.OwnerOf(node.Name) == self)
                builder.Add(new NodeScrapeResult(node.Name, BatchOf(node.Name), null, 1), now);
        }
        return builder.ToArray();
    }
}
