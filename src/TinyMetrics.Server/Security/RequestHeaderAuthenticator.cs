using Microsoft.Extensions.Primitives;

namespace TinyMetrics.Security;

/// <summary>
/// Upstream's request-header authenticator (k8s.io/apiserver pkg/authentication/request/headerrequest):
/// the user comes from the X-Remote-* headers, but only when the client certificate chains to the
/// request-header CA and has an allowed CN.
/// </summary>
internal static class RequestHeaderAuthenticator
{
    public static AuthenticationResult Authenticate(HttpContext context, AuthenticationConfig config, DateTime nowUtc, ILogger logger)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null || config.RequestHeader.ClientCa is null)
            return AuthenticationResult.NotApplicable;

        var failure = ClientCertificates.VerifyFrontProxy(context, config, certificate, nowUtc);
        if (failure is not null)
            return AuthenticationResult.Failed(failure);

        var settings = config.RequestHeader;
        var headers = context.Request.Headers;
        var name = FirstValue(headers, settings.UsernameHeaders);
        if (string.IsNullOrEmpty(name))
        {
            logger.MissingRemoteUser();
            return AuthenticationResult.NotApplicable;
        }
        var user = new RequestUser(name, AllValues(headers, settings.GroupHeaders), ExtraValues(headers, settings.ExtraHeaderPrefixes))
        {
            Uid = FirstValue(headers, settings.UidHeaders) ?? "",
        };
        return AuthenticationResult.Success(user);
    }

    /// <summary>Whether the request carries any header the front proxy would set (for the spoofing log).</summary>
    public static bool HasFrontProxyHeaders(IHeaderDictionary headers, FrontProxySettings settings)
    {
        foreach (var header in headers)
        {
            if (Matches(header.Key, settings.UsernameHeaders, prefix: false)
                || Matches(header.Key, settings.GroupHeaders, prefix: false)
                || Matches(header.Key, settings.UidHeaders, prefix: false)
                || Matches(header.Key, settings.ExtraHeaderPrefixes, prefix: true))
                return true;
        }
        return false;
    }

    private static bool Matches(string key, string[] names, bool prefix)
    {
        foreach (var name in names)
        {
            if (prefix ? key.StartsWith(name, StringComparison.OrdinalIgnoreCase) : key.Equals(name, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static string? FirstValue(IHeaderDictionary headers, string[] names)
    {
        foreach (var name in names)
        {
            var value = headers[name];
            if (!StringValues.IsNullOrEmpty(value) && !string.IsNullOrEmpty(value[0]))
                return value[0];
        }
        return null;
    }

    private static string[] AllValues(IHeaderDictionary headers, string[] names)
    {
        var values = new List<string>();
        foreach (var name in names)
        {
            foreach (var value in headers[name])
            {
                if (!string.IsNullOrEmpty(value))
                    values.Add(value);
            }
        }
        return [.. values];
    }

    private static KeyValuePair<string, string[]>[] ExtraValues(IHeaderDictionary headers, string[] prefixes)
    {
        List<KeyValuePair<string, string[]>>? extra = null;
        foreach (var header in headers)
        {
            foreach (var prefix in prefixes)
            {
                if (header.Key.Length > prefix.Length && header.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    // Kubernetes lower-cases and URL-unescapes the extra key taken from the header name.
                    var key = Uri.UnescapeDataString(header.Key[prefix.Length..]).ToLowerInvariant();
                    (extra ??= []).Add(new(key, header.Value.ToArray()!));
                }
            }
        }
        return extra is null ? [] : [.. extra];
    }
}
