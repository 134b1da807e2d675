namespace TinyMetrics.Security;

/// <summary>
/// Who a request comes from, decided as a delegating aggregated API server does (k8s.io/apiserver
/// pkg/authentication/authenticatorfactory/delegating.go): request header (front proxy), then client
/// certificate, then bearer token (TokenReview) are tried in this order until one names a user
/// (pkg/authentication/request/union), who gets system:authenticated (group.AuthenticatedGroupAdder).
/// When none does, a failure of any of them is a 401; otherwise the request is anonymous
/// (union.NewFailOnError with the anonymous authenticator).
/// </summary>
internal sealed class AuthenticationChain
{
    private readonly AuthenticationConfigSource _config;
    private readonly TokenReviewAuthenticator _bearerToken;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public AuthenticationChain(AuthenticationConfigSource config, TokenReviewAuthenticator bearerToken, TimeProvider time, ILogger logger)
    {
        _config = config;
        _bearerToken = bearerToken;
        _time = time;
        _logger = logger;
    }

    /// <summary>The authenticated or anonymous user, or null when the request is to be refused with 401.</summary>
    public async ValueTask<RequestUser?> AuthenticateAsync(HttpContext context)
    {
        // One configuration and one clock reading for the whole request: every link judges against the same trust.
        var config = _config.Current;
        var now = _time.GetUtcNow().UtcDateTime;
        var fromProxy = RequestHeaderAuthenticator.Authenticate(context, config, now, _logger);
        if (fromProxy.User is { } proxied)
            return proxied.WithAuthenticatedGroup();
        var fromCertificate = ClientCertificates.Authenticate(context, config, now);
        var fromToken = fromCertificate.User is null
            ? await _bearerToken.AuthenticateAsync(context, context.RequestAborted)
            : AuthenticationResult.NotApplicable;
        // Headers a trusted proxy did not vouch for are never used; the attempt is worth a log line.
        if (RequestHeaderAuthenticator.HasFrontProxyHeaders(context.Request.Headers, config.RequestHeader))
            _logger.IgnoredFrontProxyHeaders(Remote(context), context.Connection.ClientCertificate is not null);
        if ((fromCertificate.User ?? fromToken.User) is { } user)
            return user.WithAuthenticatedGroup();
        if (fromProxy.Failure is null && fromCertificate.Failure is null && fromToken.Failure is null)
            return RequestUser.Anonymous;
        _logger.AuthenticationFailed(Aggregate(fromProxy.Failure, fromCertificate.Failure, fromToken.Failure));
        return null;
    }

    /// <summary>The links' errors as union's utilerrors aggregate prints them: one alone, several as "[a, b]".</summary>
    public static string Aggregate(string? proxy, string? certificate, string? token)
    {
        var count = (proxy is null ? 0 : 1) + (certificate is null ? 0 : 1) + (token is null ? 0 : 1);
        if (count == 1)
            return proxy ?? certificate ?? token!;
        var parts = new List<string>(3);
        if (proxy is not null)
            parts.Add(proxy);
        if (certificate is not null)
            parts.Add(certificate);
        if (token is not null)
            parts.Add(token);
        return "[" + string.Join(", ", parts) + "]";
    }

    private static string Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}

/// <summary>
/// One link's verdict, as upstream's (user, ok, err): a user; nothing to say (the next link tries);
/// or a failure, which turns into 401 when no other link succeeds.
/// </summary>
internal readonly record struct AuthenticationResult(RequestUser? User, string? Failure)
{
    public static readonly AuthenticationResult NotApplicable = default;

    public static AuthenticationResult Success(RequestUser user) => new(user, null);

    public static AuthenticationResult Failed(string reason) => new(null, reason);
}

/// <summary>The authenticated caller of a request: its name, groups and extra attributes.</summary>
public sealed record RequestUser(string Name, string[] Groups, KeyValuePair<string, string[]>[] Extra)
{
    /// <summary>The UID, when the authenticator knows one (TokenReview, --requestheader-uid-headers); else "".</summary>
    public string Uid { get; init; } = "";

    public const string AnonymousName = "system:anonymous";
    public const string UnauthenticatedGroup = "system:unauthenticated";
    public const string AuthenticatedGroup = "system:authenticated";

    public static readonly RequestUser Anonymous = new(AnonymousName, [UnauthenticatedGroup], []);

    /// <summary>Adds system:authenticated, as upstream's AuthenticatedGroupAdder, unless either marker group is present.</summary>
    public RequestUser WithAuthenticatedGroup()
    {
        foreach (var group in Groups)
        {
            if (group is AuthenticatedGroup or UnauthenticatedGroup)
                return this;
        }
        return this with { Groups = [.. Groups, AuthenticatedGroup] };
    }
}
