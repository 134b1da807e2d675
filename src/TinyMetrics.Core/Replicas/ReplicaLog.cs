using Microsoft.Extensions.Logging;
using ZLogger;

namespace TinyMetrics.Replicas;

// Ids 3100–3119: HA membership and the share exchange (klog sites in the server's KlogSites).
internal static partial class ReplicaLog
{
    [ZLoggerMessage(3100, LogLevel.Information, "Replica membership changed {service} {members} {self} {addresses}")]
    public static partial void MembershipChanged(this ILogger logger, string service, int members, int self, string addresses);

    [ZLoggerMessage(3101, LogLevel.Information, "This replica is not a ready endpoint of its Service, scraping nothing of its own {service} {address}")]
    public static partial void SelfNotListed(this ILogger logger, string service, string address);

    [ZLoggerMessage(3102, LogLevel.Information, "Peer share unavailable, scraping its nodes {peer} {result} {nodes} {err}")]
    public static partial void PeerFetchFailed(this ILogger logger, string peer, string result, int nodes, string err);

    [ZLoggerMessage(3103, LogLevel.Information, "Peer share available again {peer}")]
    public static partial void PeerRecovered(this ILogger logger, string peer);

    [ZLoggerMessage(3105, LogLevel.Information, "High availability: sharing nodes with the ready endpoints of a Service {service} {address} {peerPath}")]
    public static partial void ReplicaMode(this ILogger logger, string service, string address, string peerPath);

    [ZLoggerMessage(3104, LogLevel.Debug, "Sharded cycle {owned} {fromPeers} {takenOver} {peers}")]
    public static partial void ShardedCycle(this ILogger logger, int owned, int fromPeers, int takenOver, int peers);
}
