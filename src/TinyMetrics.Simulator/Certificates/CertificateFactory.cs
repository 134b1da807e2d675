using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Simulator.Certificates;

/// <summary>Issues ECDSA P-256 certificates (fast to create, so thousands of kubelets start in seconds).</summary>
internal static class CertificateFactory
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public static X509Certificate2 CreateCa(string commonName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // CreateSelfSigned already pairs the certificate with (a copy of) the key.
        return request.CreateSelfSigned(now.AddHours(-1), now.AddYears(10));
    }

    /// <summary>A leaf signed by <paramref name="issuer"/>; <paramref name="key"/> may be shared between leaves.</summary>
    public static X509Certificate2 Issue(
        X509Certificate2 issuer, ECDsa key, string commonName, bool server, IPAddress[] ips, string[] dnsNames, DateTimeOffset now)
    {
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([server ? ServerAuth : ClientAuth], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (ips.Length + dnsNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var ip in ips)
                san.AddIpAddress(ip);
            foreach (var dns in dnsNames)
                san.AddDnsName(dns);
            request.CertificateExtensions.Add(san.Build());
        }
        Span<byte> serial = stackalloc byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var cert = request.Create(issuer, now.AddHours(-1), now.AddYears(1), serial);
        return cert.CopyWithPrivateKey(key);
    }
}
