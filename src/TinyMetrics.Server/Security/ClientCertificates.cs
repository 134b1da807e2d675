using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using TinyMetrics.Tls;

namespace TinyMetrics.Security;

/// <summary>
/// Every check a client certificate goes through: its chain to a private CA bundle for client
/// authentication at the current time (Go's x509 Verify with ExtKeyUsageClientAuth), the subject's CN and
/// O, and the verdict kept on the connection. Upstream's x509 authenticator
/// (k8s.io/apiserver pkg/authentication/request/x509) is <see cref="Authenticate"/>; the front proxy's
/// allowed names are <see cref="FrontProxyVerifier"/>.
/// </summary>
internal static class ClientCertificates
{
    private static readonly Oid s_clientAuth = new("1.3.6.1.5.5.7.3.2");

    // Keys of the verdicts kept on a connection: one certificate is judged against each trust on its own.
    private static readonly object s_clientCaVerdict = new();
    private static readonly object s_frontProxyVerdict = new();

    /// <summary>A certificate signed by --client-ca-file names the user (CN) and groups (O).</summary>
    public static AuthenticationResult Authenticate(HttpContext context, AuthenticationConfig config, DateTime nowUtc)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null || config.ClientCa is null)
            return AuthenticationResult.NotApplicable;

        var failure = VerdictOnConnection(context, s_clientCaVerdict, config, certificate, nowUtc,
            static (c, cert, now, sent) => ChainsTo(cert, c.ClientCa!, now, sent) ? null : "certificate is not signed by the client CA or is not valid for client auth");
        if (failure is not null)
            return AuthenticationResult.Failed(failure);

        var name = CommonName(certificate);
        // Upstream: a verified certificate without a CN authenticates nobody, without an error.
        return name.Length == 0
            ? AuthenticationResult.NotApplicable
            : AuthenticationResult.Success(new RequestUser(name, Organizations(certificate), []));
    }

    /// <summary>Null when the certificate belongs to an allowed front proxy (<see cref="FrontProxyVerifier"/>), else why not.</summary>
    public static string? VerifyFrontProxy(HttpContext context, AuthenticationConfig config, X509Certificate2 certificate, DateTime nowUtc) =>
        VerdictOnConnection(context, s_frontProxyVerdict, config, certificate, nowUtc, static (c, cert, now, sent) => c.FrontProxy.Verify(cert, now, sent));

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to <paramref name="roots"/>, through the intermediates
    /// the peer sent if any, is valid at <paramref name="nowUtc"/> and allows client auth.
    /// </summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection roots, DateTime nowUtc, X509Certificate2Collection? intermediates = null)
    {
        using var chain = new X509Chain();
        // As Go's Verify: no certificate is fetched from the network, only what the peer sent helps.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (intermediates is not null)
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
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

    /// <summary>
    /// The certificate of a TLS connection cannot change, so a verdict on it is kept on the connection
    /// until the certificate expires or the configuration it was judged against is replaced.
    /// </summary>
    private static string? VerdictOnConnection(HttpContext context, object key, AuthenticationConfig config, X509Certificate2 certificate,
        DateTime nowUtc, Func<AuthenticationConfig, X509Certificate2, DateTime, X509Certificate2Collection?, string?> verify)
    {
        var sent = PeerIntermediates.Of(context);
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is null)
            return verify(config, certificate, nowUtc, sent);
        // HTTP/2 streams of one connection share its items.
        lock (items)
        {
            if (items.TryGetValue(key, out var cached) && cached is Verdict verdict
                && ReferenceEquals(verdict.Config, config) && nowUtc < verdict.ValidUntilUtc)
                return verdict.Failure;
        }
        var failure = verify(config, certificate, nowUtc, sent);
        lock (items)
            items[key] = new Verdict(config, failure, certificate.NotAfter.ToUniversalTime());
        return failure;
    }

    private sealed record Verdict(AuthenticationConfig Config, string? Failure, DateTime ValidUntilUtc);
}

/// <summary>
/// Decides whether a client certificate belongs to the allowed front proxy: it must chain to the
/// request-header CA, be valid for client authentication, and carry an allowed common name.
/// </summary>
public sealed class FrontProxyVerifier
{
    private readonly FrontProxySettings _settings;

    public FrontProxyVerifier(FrontProxySettings settings) => _settings = settings;

    /// <summary>Returns null when trusted, else why not (for logs; never certificate contents).</summary>
    public string? Verify(X509Certificate2 certificate, DateTime nowUtc, X509Certificate2Collection? intermediates = null)
    {
        if (_settings.ClientCa is null)
            return "no request-header client CA is configured";
        if (!ClientCertificates.ChainsTo(certificate, _settings.ClientCa, nowUtc, intermediates))
            return "certificate is not signed by the request-header CA or is not valid for client auth";

        if (_settings.AllowedNames.Length == 0)
            return null;
        var commonName = ClientCertificates.CommonName(certificate);
        foreach (var allowed in _settings.AllowedNames)
        {
            if (string.Equals(allowed, commonName, StringComparison.Ordinal))
                return null;
        }
        return "certificate common name is not in --requestheader-allowed-names";
    }
}
