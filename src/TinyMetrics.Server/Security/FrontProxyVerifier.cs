using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Security;

/// <summary>
/// Decides whether a client certificate belongs to the allowed front proxy: it must chain to the
/// request-header CA, be valid for client authentication, and carry an allowed common name.
/// </summary>
public sealed class FrontProxyVerifier
{
    private readonly FrontProxySettings _settings;

    public FrontProxyVerifier(FrontProxySettings settings) => _settings = settings;

    /// <summary>Returns null when trusted, else why not (for logs; never certificate contents).</summary>
    public string? Verify(X509Certificate2 certificate, DateTime nowUtc)
    {
        if (_settings.ClientCa is null)
            return "no request-header client CA is configured";
        if (!ClientChain.Verify(certificate, _settings.ClientCa, nowUtc))
            return "certificate is not signed by the request-header CA or is not valid for client auth";

        if (_settings.AllowedNames.Length == 0)
            return null;
        var commonName = ClientChain.CommonName(certificate);
        foreach (var allowed in _settings.AllowedNames)
        {
            if (string.Equals(allowed, commonName, StringComparison.Ordinal))
                return null;
        }
        return "certificate common name is not in --requestheader-allowed-names";
    }
}
