using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// Bearer tokens issued at run time with a lifetime, as bound service-account tokens are, so tests
/// can watch a token stop working once it expires (and a reviewer's cache with it).
/// </summary>
internal static class IssuedTokens
{
    private static readonly ConcurrentDictionary<string, (Caller Caller, DateTimeOffset ExpiresAt)> s_tokens = new(StringComparer.Ordinal);

    public static string Issue(Caller caller, TimeSpan lifetime, DateTimeOffset now)
    {
        var token = "issued-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        s_tokens[token] = (caller, now + lifetime);
        return token;
    }

    /// <summary>The caller of a live token; <paramref name="expired"/> tells a known but expired token from an unknown one.</summary>
    public static Caller? Find(string token, DateTimeOffset now, out bool expired)
    {
        expired = false;
        if (!s_tokens.TryGetValue(token, out var entry))
            return null;
        expired = now >= entry.ExpiresAt;
        return expired ? null : entry.Caller;
    }
}
