using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;

namespace TinyMetrics.Tls;

/// <summary>
/// The certificates a client sends after its leaf, kept on the connection during the handshake, so that
/// authentication can verify a leaf → intermediate → CA chain as Go's x509 authenticator does
/// (k8s.io/apiserver <c>pkg/authentication/request/x509</c>: Intermediates from PeerCertificates[1:]).
/// They only help build a chain: trust still comes from the configured CA bundles alone.
/// </summary>
internal static class PeerIntermediates
{
    private static readonly object s_key = new();

    /// <summary>Copies what the peer sent (the handshake disposes its chain after the callback).</summary>
    public static void Keep(IDictionary<object, object?> items, X509Certificate? leaf, X509Chain? chain)
    {
        if (chain is null || chain.ChainPolicy.ExtraStore.Count == 0)
            return;
        var leafHash = leaf?.GetCertHashString();
        var sent = new X509Certificate2Collection();
        foreach (var certificate in chain.ChainPolicy.ExtraStore)
        {
            if (certificate.GetCertHashString() != leafHash)
                sent.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
        }
        if (sent.Count > 0)
        {
            lock (items)
                items[s_key] = sent;
        }
    }

    /// <summary>The intermediates the request's connection sent, or null.</summary>
    public static X509Certificate2Collection? Of(HttpContext context)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is null)
            return null;
        lock (items)
            return items.TryGetValue(s_key, out var sent) ? sent as X509Certificate2Collection : null;
    }
}
