using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.HighAvailability;

/// <summary>
/// Three replicas on one simulated cluster share its 12 nodes (rendezvous over the EndpointSlice's ready addresses)
/// and exchange their scrapes: each kubelet is scraped about once per cycle, not three times; all three serve every
/// node with the simulator's rates, and the same numbers whenever they hold the same kubelet point. A replica that
/// leaves the slice (and stops) has its nodes taken over within a resolution; one the slice still lists but that no
/// longer answers has its nodes scraped by the survivor.
/// </summary>
[NotInParallel(ClusterLanes.Own)]
public sealed class HaReplicaTests
{
    private static readonly TimeSpan Resolution = TimeSpan.FromSeconds(10);

    // Past one resolution: the next tick's peer fetch (a quarter resolution at most for a dead peer) and a 5 s
    // scrape deadline for the taken-over nodes, on a loaded 2-core machine.
    private static readonly TimeSpan TakeOver = Resolution + TimeSpan.FromSeconds(8);

    // A survivor fetches another survivor's share at its own tick: the peer's first scrape after a change can reach
    // it one resolution after that scrape, so every point on every survivor is newer within two resolutions.
    private static readonly TimeSpan PeersCaughtUp = (2 * Resolution) + TimeSpan.FromSeconds(8);

    private const long CpuTolerance = 1_000_000;

    [Test]
    public async Task ThreeReplicas_ShareNodesAndAgree_ThenTakeOverALeavingAndADeadPeer()
    {
        await using var cluster = new HaCluster();
        await cluster.InitializeAsync();
        await WaitForSteadyStateAsync(cluster);

        // Every kubelet once per cycle: two cycles' requests per node, with three full scrapers it would be six.
        var before = await cluster.KubeletRequestsAsync();
        var seen = new Dictionary<(string Node, DateTimeOffset Timestamp, string Window), (NodeReading Reading, HashSet<int> Replicas)>();
        await WatchAgreementAsync(cluster, seen, 2 * Resolution, untilAgreed: false);
        var after = await cluster.KubeletRequestsAsync();
        // Ticks are not aligned, so on a loaded box a replica may hold a peer's point only between two polls: the
        // watch goes on (up to four more resolutions) until each node has been seen from one pair on all three.
        var agreed = await WatchAgreementAsync(cluster, seen, 4 * Resolution, untilAgreed: true);
        Console.WriteLine($"kubelet requests over {2 * Resolution.TotalSeconds} s, 3 replicas: " + string.Join(' ', after.Select(p => $"{p.Key}={p.Value - before[p.Key]}")));
        foreach (var (node, count) in after)
            await Assert.That(count - before[node]).IsBetween(1, 3).Because($"{node}: kubelet requests over two resolutions");
        await Assert.That(after.Sum(p => p.Value - before[p.Key])).IsLessThanOrEqualTo(HaCluster.Nodes * 3);
        var owned = 0.0;
        for (var r = 0; r < 3; r++)
            owned += await cluster.SelfMetricAsync(r, "tinymetrics_replica_nodes_owned");
        await Assert.That(owned).IsEqualTo(HaCluster.Nodes);
        await Assert.That(agreed.Count).IsEqualTo(HaCluster.Nodes).Because("each node seen from one pair of kubelet points on all three replicas");

        // Replica 2 leaves the slice and stops: 0 and 1 serve every node from points newer than its exit.
        await cluster.SetEndpointsAsync(cluster.Addresses[..2], notReady: []);
        await cluster.Replica(2).TerminateAsync(TimeSpan.FromSeconds(5));
        await AssertEveryNodeFreshAsync(cluster, [0, 1], DateTimeOffset.UtcNow, PeersCaughtUp, "after replica 2 left");
        await Assert.That(await cluster.SelfMetricAsync(0, "tinymetrics_replica_nodes_owned")
            + await cluster.SelfMetricAsync(1, "tinymetrics_replica_nodes_owned")).IsEqualTo(HaCluster.Nodes);

        // Replica 1 dies but stays listed: replica 0 cannot fetch its share and scrapes its nodes itself.
        await cluster.Replica(1).SignalAsync("KILL");
        await AssertEveryNodeFreshAsync(cluster, [0], DateTimeOffset.UtcNow, TakeOver, "after replica 1 died, still listed");
        await Assert.That(await cluster.SelfMetricAsync(0, "tinymetrics_peer_fetch_total{result=\"unreachable\"}")
            + await cluster.SelfMetricAsync(0, "tinymetrics_peer_fetch_total{result=\"timeout\"}")).IsGreaterThan(0);
    }

    // Every replica serves every node, and each has fetched its peers' shares at least twice.
    private static async Task WaitForSteadyStateAsync(HaCluster cluster)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var ready = 0;
            for (var r = 0; r < 3; r++)
            {
                var readings = await cluster.NodeReadingsAsync(r);
                if (readings?.Count == HaCluster.Nodes && await cluster.SelfMetricAsync(r, "tinymetrics_peer_fetch_total{result=\"ok\"}") >= 4)
                    ready++;
            }
            if (ready == 3)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"replicas not in steady state:\n{cluster.Replica(0).Tail()}\n{cluster.Replica(1).Tail()}\n{cluster.Replica(2).Tail()}");
            await Task.Delay(1000);
        }
    }

    // Polls the three replicas; every reading must match expected.json, and two readings of a node at one kubelet
    // timestamp and window (the same pair of points; any replicas, any polls) must be identical: the same points give
    // the same numbers. Answers the nodes each of the three replicas was seen serving from one common pair. Ticks are not aligned, so a replica holds a
    // peer's point from its fetch to its next one: within two resolutions each replica serves each point for a while.
    private static async Task<HashSet<string>> WatchAgreementAsync(
        HaCluster cluster, Dictionary<(string Node, DateTimeOffset Timestamp, string Window), (NodeReading Reading, HashSet<int> Replicas)> seen, TimeSpan duration, bool untilAgreed)
    {
        var expected = cluster.Expected.Nodes.ToDictionary(n => n.Name);
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end && !(untilAgreed && Agreed(seen).Count == HaCluster.Nodes))
        {
            for (var r = 0; r < 3; r++)
            {
                var view = await cluster.NodeReadingsAsync(r) ?? throw new InvalidOperationException($"replica {r} did not answer:\n{cluster.Replica(r).Tail()}");
                await Assert.That(view.Count).IsEqualTo(HaCluster.Nodes).Because($"replica {r} serves every node");
                foreach (var (node, reading) in view)
                {
                    await Assert.That(Math.Abs(reading.CpuNanoCores - expected[node].CpuNanoCores)).IsLessThanOrEqualTo(CpuTolerance).Because(node + " cpu");
                    await Assert.That(reading.MemoryBytes).IsEqualTo(expected[node].MemoryBytes).Because(node + " memory");
                    if (seen.TryGetValue((node, reading.Timestamp, reading.Window), out var earlier))
                        await Assert.That(reading).IsEqualTo(earlier.Reading).Because($"{node} at {reading.Timestamp:O}: replica {r} and replicas {string.Join(',', earlier.Replicas)}");
                    else
                        seen[(node, reading.Timestamp, reading.Window)] = earlier = (reading, []);
                    earlier.Replicas.Add(r);
                }
            }
            await Task.Delay(500);
        }
        return Agreed(seen);
    }

    private static HashSet<string> Agreed(Dictionary<(string Node, DateTimeOffset Timestamp, string Window), (NodeReading Reading, HashSet<int> Replicas)> seen) =>
        [.. seen.Where(p => p.Value.Replicas.Count == 3).Select(p => p.Key.Node)];

    // Every poll, each of the replicas serves every node (no gap); within `within`, each from a kubelet point taken after `since`.
    private static async Task AssertEveryNodeFreshAsync(HaCluster cluster, int[] replicas, DateTimeOffset since, TimeSpan within, string because)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        var stale = new List<string>();
        while (true)
        {
            stale.Clear();
            foreach (var r in replicas)
            {
                var readings = await cluster.NodeReadingsAsync(r);
                foreach (var node in cluster.Expected.Nodes)
                {
                    if (readings is null || !readings.TryGetValue(node.Name, out var reading))
                        throw new InvalidOperationException($"{because}: replica {r} does not serve {node.Name}");
                    if (reading.Timestamp <= since)
                        stale.Add($"{r}:{node.Name}");
                }
            }
            if (stale.Count == 0)
                return;
            if (DateTimeOffset.UtcNow > deadline)
                break;
            await Task.Delay(500);
        }
        await Assert.That(stale).IsEmpty().Because($"{because}: every node served fresh within {within.TotalSeconds} s\n"
            + string.Join("\n", replicas.Select(r => $"replica {r}:\n" + string.Join("\n", cluster.Replica(r).Output.Split('\n')
                .Where(l => l.Contains("membership", StringComparison.Ordinal) || l.Contains("Peer", StringComparison.Ordinal)
                    || l.Contains("Sharded", StringComparison.Ordinal) || l.Contains("Scrape finished", StringComparison.Ordinal)).TakeLast(30)))));
    }
}
