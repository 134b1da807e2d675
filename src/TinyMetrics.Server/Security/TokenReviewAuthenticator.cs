using System.Security.Cryptography;
using System.Text;

namespace TinyMetrics.Security;

/// <summary>
/// Bearer tokens checked by a TokenReview, as upstream's bearertoken authenticator
/// (k8s.io/apiserver pkg/authentication/request/bearertoken) over its webhook token authenticator. Answers are
/// cached for the TTL under an HMAC of the token (never the token itself); a failed call is not cached
/// and fails the request (401), as a token nobody vouched for.
/// </summary>
internal sealed class TokenReviewAuthenticator
{
    public const string TokenReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";
    private const int CacheCapacity = 4096;
    private const string ExtraSpaceWarning =
        "299 - \"the provided Authorization header contains extra space before the bearer token, and is ignored\"";

    private readonly KubeReviewClient _client;
    private readonly TimeSpan _ttl;
    private readonly ExpiringCache<string, AuthenticationResult> _cache;
    private readonly byte[] _hmacKey = RandomNumberGenerator.GetBytes(32);
    private readonly ILogger _logger;

    public TokenReviewAuthenticator(KubeReviewClient client, TimeSpan ttl, TimeProvider time, ILogger logger)
    {
        _client = client;
        _ttl = ttl;
        _cache = new ExpiringCache<string, AuthenticationResult>(time, CacheCapacity);
        _logger = logger;
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        // Upstream's bearertoken authenticator: the first Authorization header, trimmed, split on single
        // spaces into at most three parts. A tab is no separator, and an empty token (two spaces) is no
        // credential at all: the request goes on unauthenticated, with upstream's warning.
        var values = context.Request.Headers.Authorization;
        var header = values.Count > 0 ? (values[0] ?? "").Trim() : "";
        var parts = header.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase))
            return AuthenticationResult.NotApplicable;
        var token = parts[1];
        if (token.Length == 0)
        {
            if (parts.Length == 3)
                context.Response.Headers.Append("Warning", ExtraSpaceWarning);
            return AuthenticationResult.NotApplicable;
        }

        var key = CacheKey(token);
        if (_cache.TryGet(key, out var cached))
            return cached;

        TokenReview answer;
        try
        {
            answer = await _client.CreateAsync(TokenReviewPath, new TokenReview { Spec = { Token = token } },
                ReviewJsonContext.Default.TokenReview, cancellationToken).ConfigureAwait(false);
        }
        // The request's own cancellation (its deadline or the client gone) is no review failure: it goes on up to the
        // request deadline, which answers 504 as upstream's timeout filter does, whatever the chain would write next.
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            _logger.TokenReviewFailed(ex.GetType().Name, ex.Message);
            return AuthenticationResult.Failed("token review failed");
        }

        var result = ToResult(answer.Status);
        _cache.Set(key, result, _ttl);
        return result;
    }

    private static AuthenticationResult ToResult(TokenReviewStatus? status)
    {
        if (status is not { Authenticated: true, User.Username: { Length: > 0 } name })
            return AuthenticationResult.Failed(string.IsNullOrEmpty(status?.Error) ? "invalid bearer token" : status.Error);
        var extra = status.User.Extra is { Count: > 0 } map ? [.. map] : Array.Empty<KeyValuePair<string, string[]>>();
        return AuthenticationResult.Success(new RequestUser(name, status.User.Groups ?? [], extra) { Uid = status.User.Uid ?? "" });
    }

    private string CacheKey(string token) =>
        Convert.ToHexString(HMACSHA256.HashData(_hmacKey, Encoding.UTF8.GetBytes(token)));
}
