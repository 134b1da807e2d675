using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Security;

/// <summary>Verifies a client certificate against a private CA bundle for client authentication, as Go's x509 Verify with ExtKeyUsageClientAuth.</summary>
internal static class ClientChain
{
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");

    public static bool Verify(X509Certificate2 certificate, X509Certificate2Collection roots, DateTime nowUtc)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(s_clientAuth);
        chain.ChainPolicy.VerificationTime = nowUtc;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain.Build(certificate);
    }

    /// <summary>The last CN of the subject (Go keeps the last one), or "" when none.</summary>
    public static string CommonName(X509Certificate2 certificate)
    {
        var name = "";
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3")
                name = rdn.GetSingleElementValue() ?? "";
        }
        return name;
    }

    /// <summary>Every O value of the subject: upstream's groups of a client certificate user.</summary>
    public static string[] Organizations(X509Certificate2 certificate)
    {
        List<string>? values = null;
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.10" && rdn.GetSingleElementValue() is { Length: > 0 } value)
                (values ??= []).Add(value);
        }
        return values is null ? [] : [.. values];
    }
}
