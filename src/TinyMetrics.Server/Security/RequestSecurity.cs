using TinyMetrics.Http;
using TinyMetrics.Rendering;

namespace TinyMetrics.Security;

/// <summary>
/// Authenticates and authorizes every request as a delegating aggregated API server does, before
/// anything reaches data: the <see cref="AuthenticationChain"/> names the user (401 when a credential
/// failed and none succeeded); then always-allowed paths pass, and a SubjectAccessReview decides the
/// rest (403, or 500 when the reviewer cannot answer). Between the two, the <see cref="MaxInFlightLimit"/> answers 429
/// beyond --max-requests-inflight.
/// </summary>
internal sealed class RequestSecurity
{
    private readonly RequestDelegate _next;
    private readonly AlwaysAllowPaths _alwaysAllow;
    private readonly AuthenticationChain _authentication;
    private readonly SubjectAccessReviewAuthorizer _authorizer;
    private readonly MaxInFlightLimit _inFlight;
    private readonly ILogger _logger;

    public RequestSecurity(RequestDelegate next, AlwaysAllowPaths alwaysAllow, AuthenticationChain authentication,
        SubjectAccessReviewAuthorizer authorizer, MaxInFlightLimit inFlight, ILogger logger)
    {
        _inFlight = inFlight;
        _next = next;
        _alwaysAllow = alwaysAllow;
        _authentication = authentication;
        _authorizer = authorizer;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        // Upstream authenticates before the path authorizer looks: a probe without credentials is
        // anonymous and passes, a forged or expired credential is 401 on every path.
        var user = await _authentication.AuthenticateAsync(context);
        if (user is null)
        {
            await StatusWriter.WriteAsync(context, KubeStatus.Unauthorized);
            return;
        }
        context.Features.Set(user);
        // Upstream's chain: authentication, then max-in-flight, then authorization.
        var admission = _inFlight.Enter(RequestInfo.Of(context).Attributes.Verb, user);
        if (admission == InFlightAdmission.Rejected)
        {
            await MaxInFlightLimit.WriteTooManyRequestsAsync(context);
            return;
        }
        try
        {
            await AuthorizeAndServeAsync(context, user, path);
        }
        finally
        {
            _inFlight.Exit(admission);
        }
    }

    private async Task AuthorizeAndServeAsync(HttpContext context, RequestUser user, string path)
    {
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
        _logger.Forbidden(context.Request.Path.Value + context.Request.QueryString.Value, decision.Reason ?? "");
        await StatusWriter.WriteAsync(context, Forbidden(user, attributes, decision.Reason));
    }

    private static StatusResponse Forbidden(RequestUser user, RequestAttributes a, string? reason)
    {
        if (!a.IsResourceRequest)
            return KubeStatus.ForbiddenPath(user.Name, a.Verb, a.Path, reason);
        var resource = a.Subresource.Length == 0 ? a.Resource : a.Resource + "/" + a.Subresource;
        return KubeStatus.ForbiddenResource(user.Name, a.Verb, resource, a.Namespace, a.Name, reason);
    }
}
