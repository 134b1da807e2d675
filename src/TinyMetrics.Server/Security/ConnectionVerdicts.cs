using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;

namespace TinyMetrics.Security;

/// <summary>
/// The certificate of a TLS connection cannot change, so a verdict on it is kept on the connection
/// until the certificate expires or the trust configuration it was judged against is replaced.
/// </summary>
internal static class ConnectionVerdicts
{
    public static string? GetOrVerify<TTrust>(HttpContext context, object owner, TTrust trust, X509Certificate2 certificate, DateTime nowUtc,
        Func<TTrust, X509Certificate2, DateTime, string?> verify)
        where TTrust : class
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is null)
            return verify(trust, certificate, nowUtc);
        // HTTP/2 streams of one connection share its items.
        lock (items)
        {
            if (items.TryGetValue(owner, out var cached) && cached is Verdict verdict
                && ReferenceEquals(verdict.Trust, trust) && nowUtc < verdict.ValidUntilUtc)
                return verdict.Failure;
        }
        var failure = verify(trust, certificate, nowUtc);
        lock (items)
            items[owner] = new Verdict(trust, failure, certificate.NotAfter.ToUniversalTime());
        return failure;
    }

    private sealed record Verdict(object Trust, string? Failure, DateTime ValidUntilUtc);
}
