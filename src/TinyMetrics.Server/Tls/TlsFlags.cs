using System.Net.Security;
using System.Security.Authentication;

namespace TinyMetrics.Tls;

/// <summary>
/// --tls-min-version and --tls-cipher-suites with Go's names (crypto/tls versions, CipherSuites and
/// InsecureCipherSuites, as Kubernetes' cliflag accepts them) mapped to what .NET offers. Names that are
/// accepted but not honoured as given add a warning, logged at start.
/// </summary>
internal static class TlsFlags
{
    // Go ignores the list for TLS 1.3 and always offers these three; adding them keeps TLS 1.3 usable
    // (an OpenSSL policy without 1.3 suites would switch TLS 1.3 off).
    private static readonly TlsCipherSuite[] s_tls13 =
        [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    private static readonly Dictionary<string, TlsCipherSuite> s_secure = new(StringComparer.Ordinal)
    {
        ["TLS_AES_128_GCM_SHA256"] = TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        ["TLS_AES_256_GCM_SHA384"] = TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        ["TLS_CHACHA20_POLY1305_SHA256"] = TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        ["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        ["TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        ["TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ["TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        // Go's legacy aliases, still accepted by Kubernetes.
        ["TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    // Upstream accepts these with a warning; OpenSSL 3 still offers them.
    private static readonly Dictionary<string, TlsCipherSuite> s_insecure = new(StringComparer.Ordinal)
    {
        ["TLS_RSA_WITH_AES_128_CBC_SHA"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
        ["TLS_RSA_WITH_AES_256_CBC_SHA"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
        ["TLS_RSA_WITH_AES_128_CBC_SHA256"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
        ["TLS_RSA_WITH_AES_128_GCM_SHA256"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        ["TLS_RSA_WITH_AES_256_GCM_SHA384"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        ["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
    };

    /// <summary>Allowed protocols for <paramref name="name"/>; throws <see cref="InvalidDataException"/> for an unknown name.</summary>
    public static SslProtocols MinVersion(string name, List<string> warnings)
    {
        switch (name)
        {
            // Go's default server minimum is TLS 1.2, as is Kubernetes' DefaultTLSVersion.
            case "":
            case "VersionTLS12":
                return SslProtocols.Tls12 | SslProtocols.Tls13;
            case "VersionTLS13":
                return SslProtocols.Tls13;
            case "VersionTLS10":
            case "VersionTLS11":
                // OpenSSL 3 refuses TLS 1.0/1.1 at its default security level and .NET marks them obsolete:
                // the name is accepted so existing manifests keep working, and 1.2 is the nearest floor offered.
                warnings.Add($"--tls-min-version={name}: TLS 1.0 and 1.1 are not offered by this server; the minimum is TLS 1.2");
                return SslProtocols.Tls12 | SslProtocols.Tls13;
            default:
                throw new InvalidDataException(
                    $"--tls-min-version: unknown tls version \"{name}\" (allowed: VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13)");
        }
    }

    /// <summary>
    /// The suites to allow, or null for the platform defaults when none are named. RC4 and 3DES suites
    /// (Go names them, OpenSSL 3 no longer offers them) and unknown names throw <see cref="InvalidDataException"/>.
    /// </summary>
    public static TlsCipherSuite[]? CipherSuites(string[] names, List<string> warnings)
    {
        if (names.Length == 0)
            return null;
        var suites = new List<TlsCipherSuite>(names.Length + s_tls13.Length);
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (s_secure.TryGetValue(name, out var suite))
            {
                suites.Add(suite);
                continue;
            }
            if (!s_insecure.TryGetValue(name, out suite))
                throw new InvalidDataException($"--tls-cipher-suites: Cipher suite {name} not supported or doesn't exist");
            warnings.Add($"Use of insecure cipher '{name}' detected.");
            suites.Add(suite);
        }
        foreach (var suite in s_tls13)
        {
            if (!suites.Contains(suite))
                suites.Add(suite);
        }
        return [.. suites];
    }
}
