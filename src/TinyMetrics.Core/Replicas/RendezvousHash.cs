using System.Text;

namespace TinyMetrics.Replicas;

/// <summary>
/// Highest-random-weight (rendezvous) hashing: a node belongs to the member whose weight for it is highest.
/// Removing a member moves only that member's nodes (each to its runner-up); adding one takes about 1/n of
/// every other's. The weights are FNV-1a over UTF-8 bytes with a 64-bit finaliser, the same in every
/// process and version, so replicas that see the same members agree on every owner without talking.
/// </summary>
public static class RendezvousHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The seed of one member (its address), computed once per membership.</summary>
    public static ulong MemberSeed(string member) => Fnv(member, FnvOffset);

    /// <summary>The hash of one node name, computed once per node and cycle.</summary>
    public static ulong NodeHash(string node) => Fnv(node, FnvOffset ^ 0x9E3779B97F4A7C15UL);

    /// <summary>The weight of a node for a member: both hashes mixed by murmur3's fmix64, so every bit of each counts.</summary>
    public static ulong Weight(ulong memberSeed, ulong nodeHash)
    {
        var h = memberSeed ^ (nodeHash * 0xC2B2AE3D27D4EB4FUL);
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h;
    }

    /// <summary>The index in <paramref name="memberSeeds"/> owning <paramref name="node"/>; -1 when there are no members.</summary>
    public static int Owner(ReadOnlySpan<ulong> memberSeeds, string node)
    {
        var nodeHash = NodeHash(node);
        var best = -1;
        var bestWeight = 0UL;
        for (var i = 0; i < memberSeeds.Length; i++)
        {
            var weight = Weight(memberSeeds[i], nodeHash);
            // Ties (vanishingly rare) go to the lower index, which every replica orders the same way.
            if (best < 0 || weight > bestWeight)
            {
                best = i;
                bestWeight = weight;
            }
        }
        return best;
    }

    private static ulong Fnv(string text, ulong hash)
    {
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(text, buffer)]
            : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= FnvPrime;
        }
        return hash;
    }
}
