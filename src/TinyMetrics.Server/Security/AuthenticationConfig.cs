using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Security;

/// <summary>
/// The trust anchors in force at one moment: the request-header (front-proxy) settings and the
/// client CA. Replaced as a whole when the ConfigMap or a CA file changes, so a request sees one
/// consistent version, and a connection's cached certificate verdict stays valid until it is replaced.
/// </summary>
internal sealed class AuthenticationConfig
{
    public AuthenticationConfig(FrontProxySettings requestHeader, X509Certificate2Collection? clientCa)
    {
        RequestHeader = requestHeader;
        ClientCa = clientCa;
        FrontProxy = new FrontProxyVerifier(requestHeader);
        var named = new X509Certificate2Collection();
        if (clientCa is not null)
            named.AddRange(clientCa);
        if (requestHeader.ClientCa is not null)
            named.AddRange(requestHeader.ClientCa);
        NamedInHandshake = named;
    }

    /// <summary>Every CA a client certificate may chain to, as Go's serving ClientCAs (a new collection per configuration).</summary>
    public X509Certificate2Collection NamedInHandshake { get; }

    public FrontProxySettings RequestHeader { get; }

    public X509Certificate2Collection? ClientCa { get; }

    public FrontProxyVerifier FrontProxy { get; }
}

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
