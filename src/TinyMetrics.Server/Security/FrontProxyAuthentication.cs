using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Primitives;
using TinyMetrics.Api;
using TinyMetrics.Serving;

namespace TinyMetrics.Security;

/// <summary>
/// Authenticates every request but the health probes the way an aggregated API server trusts
/// kube-apiserver: a client certificate from the front-proxy CA with an allowed name, then the
/// user from the request headers. Everything else is answered 401 before it reaches any data.
/// </summary>
internal sealed class FrontProxyAuthentication
{
    // The certificate of a TLS connection cannot change, so its verdict is kept on the connection.
    private static readonly object s_verdictKey = new();

    private readonly RequestDelegate _next;
    private readonly FrontProxySettings _settings;
    private readonly FrontProxyVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public FrontProxyAuthentication(RequestDelegate next, FrontProxySettings settings, TimeProvider time, ILogger<FrontProxyAuthentication> logger)
    {
        _next = next;
        _settings = settings;
        _verifier = new FrontProxyVerifier(settings);
        _time = time;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (HealthEndpoints.IsHealthPath(context.Request.Path))
            return _next(context);

        var user = Authenticate(context);
        if (user is null)
            return StatusWriter.WriteAsync(context, KubeStatus.Unauthorized);

        context.Features.Set(user);
        return _next(context);
    }

    private RequestUser? Authenticate(HttpContext context)
    {
        var certificate = context.Connection.ClientCertificate;
        var trusted = certificate is not null && IsTrustedProxy(context, certificate);
        if (!trusted)
        {
            if (HasFrontProxyHeaders(context.Request.Headers))
                _logger.IgnoredFrontProxyHeaders(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", certificate is not null);
            return null;
        }

        var name = FirstValue(context.Request.Headers, _settings.UsernameHeaders);
        if (string.IsNullOrEmpty(name))
        {
            _logger.MissingRemoteUser();
            return null;
        }
        return new RequestUser(name, AllValues(context.Request.Headers, _settings.GroupHeaders), ExtraValues(context.Request.Headers));
    }

    private bool IsTrustedProxy(HttpContext context, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(s_verdictKey, out var cached) && cached is Verdict verdict && now < verdict.ValidUntilUtc)
            return verdict.Trusted;

        var reason = _verifier.Verify(certificate, now);
        if (reason is not null)
            _logger.UntrustedClientCertificate(reason);
        if (items is not null)
            items[s_verdictKey] = new Verdict(reason is null, certificate.NotAfter.ToUniversalTime());
        return reason is null;
    }

    private bool HasFrontProxyHeaders(IHeaderDictionary headers)
    {
        foreach (var header in headers)
        {
            if (Matches(header.Key, _settings.UsernameHeaders, prefix: false)
                || Matches(header.Key, _settings.GroupHeaders, prefix: false)
                || Matches(header.Key, _settings.ExtraHeaderPrefixes, prefix: true))
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

    private KeyValuePair<string, string[]>[] ExtraValues(IHeaderDictionary headers)
    {
        List<KeyValuePair<string, string[]>>? extra = null;
        foreach (var header in headers)
        {
            foreach (var prefix in _settings.ExtraHeaderPrefixes)
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

    private sealed record Verdict(bool Trusted, DateTime ValidUntilUtc);
}
