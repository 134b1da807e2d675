using System.Net;

namespace TinyMetrics.Replicas;

/// <summary>
/// The ready replicas of one Service, as its EndpointSlices list them, in one order every replica shares
/// (ordinal by address), and which of them is this process. Immutable; replaced wholesale on each change.
/// </summary>
public sealed class Membership
{
    public static readonly Membership Alone = new([], -1);

    private readonly ulong[] _seeds;

    public Membership(ReplicaEndpoint[] members, int self)
    {
        Members = members;
        Self = self;
        _seeds = new ulong[members.Length];
        for (var i = 0; i < members.Length; i++)
            _seeds[i] = RendezvousHash.MemberSeed(members[i].Address);
    }

    /// <summary>Ready replicas in address order (self included when it is ready).</summary>
    public ReplicaEndpoint[] Members { get; }

    /// <summary>This replica's index in <see cref="Members"/>; -1 when it is not listed (not ready yet, or leaving).</summary>
    public int Self { get; }

    /// <summary>
    /// No peer to share with: no ready replica at all, or only this one. The replica then scrapes every node, as a
    /// single metrics-server does.
    /// </summary>
    public bool IsAlone => Members.Length == 0 || (Members.Length == 1 && Self == 0);

    /// <summary>The member owning <paramref name="node"/> (rendezvous over the members' addresses); -1 when alone.</summary>
    public int OwnerOf(string node) => IsAlone ? -1 : RendezvousHash.Owner(_seeds, node);

    /// <summary>Built from the ready endpoints of every slice: sorted, duplicates removed, self found by address.</summary>
    public static Membership From(IEnumerable<ReplicaEndpoint> endpoints, string? selfAddress)
    {
        var set = new SortedSet<ReplicaEndpoint>(endpoints, ReplicaEndpointOrder.Instance);
        var members = new ReplicaEndpoint[set.Count];
        set.CopyTo(members);
        var self = -1;
        for (var i = 0; i < members.Length && selfAddress is not null; i++)
        {
            if (SameAddress(members[i].Address, selfAddress))
                self = i;
        }
        return new Membership(members, self);
    }

    /// <summary>Whether the two list the same members with the same self.</summary>
    public bool SameAs(Membership other) => Self == other.Self && Members.AsSpan().SequenceEqual(other.Members);

    public override string ToString() => string.Join(",", (IEnumerable<ReplicaEndpoint>)Members);

    private static bool SameAddress(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y) && x.Equals(y));

    private sealed class ReplicaEndpointOrder : IComparer<ReplicaEndpoint>
    {
        public static readonly ReplicaEndpointOrder Instance = new();

        public int Compare(ReplicaEndpoint x, ReplicaEndpoint y)
        {
            var byAddress = string.CompareOrdinal(x.Address, y.Address);
            return byAddress != 0 ? byAddress : x.Port.CompareTo(y.Port);
        }
    }
}

/// <summary>One ready replica: its pod IP and the port its Service's slice names (the "https" port, else the first).</summary>
public readonly record struct ReplicaEndpoint(string Address, int Port)
{
    /// <summary>The base URL of its peer endpoint (an IPv6 address bracketed).</summary>
    public Uri BaseUri => new($"https://{(Address.Contains(':', StringComparison.Ordinal) ? "[" + Address + "]" : Address)}:{Port}");

    public override string ToString() => Address.Contains(':', StringComparison.Ordinal) ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
