using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Kube;

/// <summary>
/// Judges a server certificate against a CA bundle that may change between handshakes (a rotated
/// --kubelet-certificate-authority), as Go's x509 Verify with ExtKeyUsageServerAuth: the platform's
/// own check still decides the host name; the chain must end at one of the given roots.
/// </summary>
public static class PrivateCaValidation
{
    private static readonly Oid s_serverAuth = new("1.3.6.1.5.5.7.3.1");

    public static bool IsTrusted(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
            return false;
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(roots);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.ApplicationPolicy.Add(s_serverAuth);
        // Intermediates the server sent are in the platform's chain; they may lead to a root of the bundle.
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
                policy.ExtraStore.Add(element.Certificate);
        }
        return certificate is X509Certificate2 leaf
            ? chain.Build(leaf)
            : BuildFromRaw(chain, certificate);
    }

    private static bool BuildFromRaw(X509Chain chain, X509Certificate certificate)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
