using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Kube;

/// <summary>
/// How a client verifies a server and proves itself: a private CA (custom root trust, not the
/// machine store), an optional client certificate, or no verification at all.
/// </summary>
public sealed record TlsSettings(
    X509Certificate2Collection? CaCertificates,
    X509Certificate2? ClientCertificate,
    bool SkipVerify,
    string? ServerName = null)
{
    public static readonly TlsSettings Default = new(null, null, SkipVerify: false);

    /// <summary>Fills <paramref name="ssl"/>; the host name check stays on the dialled address (or <see cref="ServerName"/>).</summary>
    public void Apply(SslClientAuthenticationOptions ssl)
    {
        if (ServerName is { Length: > 0 })
            ssl.TargetHost = ServerName;
        if (ClientCertificate is not null)
            ssl.ClientCertificates = [ClientCertificate];
        if (SkipVerify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
            return;
        }
        if (CaCertificates is { Count: > 0 })
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(CaCertificates);
            ssl.CertificateChainPolicy = policy;
        }
    }
}
