using TinyMetrics.Http;
using TinyMetrics.Rendering;

namespace TinyMetrics.Security;

/// <summary>
/// Authenticates and authorizes every request as a delegating aggregated API server does, before
/// anything reaches data: request header, client certificate and bearer token are tried in upstream's
/// order, with anonymous last (401 if one of them failed and none succeeded); then always-allowed paths
/// pass, and a SubjectAccessReview decides the rest (403, or 500 when the reviewer cannot answer).
/// </summary>
internal sealed class RequestSecurity
{
    private readonly RequestDelegate _next;
    private readonly AlwaysAllowPaths _alwaysAllow;
    private readonly IRequestAuthenticator[] _authenticators;
    private readonly SubjectAccessReviewAuthorizer _authorizer;
    private readonly AuthenticationConfigSource _config;
    private readonly ILogger _logger;

    public RequestSecurity(RequestDelegate next, AlwaysAllowPaths alwaysAllow, IRequestAuthenticator[] authenticators,
        SubjectAccessReviewAuthorizer authorizer, AuthenticationConfigSource config, ILogger logger)
    {
        _next = next;
        _alwaysAllow = alwaysAllow;
        _authenticators = authenticators;
        _authorizer = authorizer;
        _config = config;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        // Upstream authenticates before the path authorizer looks: a probe without credentials is
        // anonymous and passes, a forged or expired credential is 401 on every path.
        var user = await AuthenticateAsync(context);
        if (user is null)
        {
            await StatusWriter.WriteAsync(context, KubeStatus.Unauthorized);
            return;
        }
        context.Features.Set(user);
        if (_alwaysAllow.Allows(path))
        {
            await _next(context);
            return;
        }

        var attributes = RequestInfo.Of(context).Attributes;
        var decision = await _authorizer.AuthorizeAsync(user, attributes, context.RequestAborted);
        if (decision.Allowed)
        {
            await _next(context);
            return;
        }
        if (decision.Error)
        {
            await StatusWriter.WriteAsync(context, KubeStatus.InternalError("authorizer error"));
            return;
        }
        _logger.Forbidden(user.Name, attributes.Verb, path);
        await StatusWriter.WriteAsync(context, Forbidden(user, attributes, decision.Reason));
    }

    private async ValueTask<RequestUser?> AuthenticateAsync(HttpContext context)
    {
        var config = _config.Current;
        string? failure = null;
        RequestUser? user = null;
        var index = 0;
        for (; index < _authenticators.Length && user is null; index++)
        {
            var result = await _authenticators[index].AuthenticateAsync(context, config, context.RequestAborted);
            user = result.User;
            failure ??= result.Failure;
        }
        // Headers a trusted proxy did not vouch for are never used; the attempt is worth a log line.
        if (user is null || _authenticators[index - 1] is not RequestHeaderAuthenticator)
            WarnAboutUntrustedHeaders(context, config);
        if (user is not null)
            return user.WithAuthenticatedGroup();
        if (failure is null)
            return RequestUser.Anonymous;
        _logger.AuthenticationFailed(Remote(context), failure);
        return null;
    }

    private void WarnAboutUntrustedHeaders(HttpContext context, AuthenticationConfig config)
    {
        if (RequestHeaderAuthenticator.HasFrontProxyHeaders(context.Request.Headers, config.RequestHeader))
            _logger.IgnoredFrontProxyHeaders(Remote(context), context.Connection.ClientCertificate is not null);
    }

    private static StatusResponse Forbidden(RequestUser user, RequestAttributes a, string? reason)
    {
        if (!a.IsResourceRequest)
            return KubeStatus.ForbiddenPath(user.Name, a.Verb, a.Path, reason);
        var resource = a.Subresource.Length == 0 ? a.Resource : a.Resource + "/" + a.Subresource;
        return KubeStatus.ForbiddenResource(user.Name, a.Verb, resource, a.Namespace, a.Name, reason);
    }

    private static string Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
