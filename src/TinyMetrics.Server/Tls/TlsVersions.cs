using System.Security.Authentication;

namespace TinyMetrics.Tls;

/// <summary>--tls-min-version with the upstream (Go) names, as the protocol set the server offers.</summary>
internal static class TlsVersions
{
    /// <summary>Allowed protocols for <paramref name="name"/>; throws <see cref="InvalidDataException"/> for an unknown name.</summary>
    public static SslProtocols Parse(string name, List<string> warnings)
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
}
