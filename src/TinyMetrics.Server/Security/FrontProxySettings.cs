using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Security;

/// <summary>
/// The request-header (front-proxy) trust: which CA signs the proxy's client certificate, which
/// common names are allowed (empty: any), and which headers carry the user, groups and extras.
/// Header names are compared case-insensitively, as HTTP does.
/// </summary>
public sealed record FrontProxySettings(
    X509Certificate2Collection? ClientCa,
    string[] AllowedNames,
    string[] UsernameHeaders,
    string[] GroupHeaders,
    string[] ExtraHeaderPrefixes)
{
    /// <summary>--requestheader-uid-headers (Kubernetes 1.32+): headers carrying the user's UID; none by default.</summary>
    public string[] UidHeaders { get; init; } = [];
}
