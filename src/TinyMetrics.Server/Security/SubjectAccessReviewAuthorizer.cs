using System.Text;
using TinyMetrics.Http;

namespace TinyMetrics.Security;

/// <summary>
/// Upstream's delegating authorizer: system:masters is allowed outright; everyone else is asked of the
/// API server by a SubjectAccessReview, whose answer is cached for the authorized or unauthorized TTL
/// under everything it depended on (user, groups, extra, attributes). Failed calls are not cached.
/// </summary>
internal sealed class SubjectAccessReviewAuthorizer
{
    public const string SubjectAccessReviewPath = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    public const string MastersGroup = "system:masters";
    private const int CacheCapacity = 8192;

    private readonly KubeReviewClient _client;
    private readonly TimeSpan _allowedTtl;
    private readonly TimeSpan _deniedTtl;
    private readonly ExpiringCache<string, AuthorizationDecision> _cache;
    private readonly ILogger _logger;

    public SubjectAccessReviewAuthorizer(KubeReviewClient client, TimeSpan allowedTtl, TimeSpan deniedTtl, TimeProvider time, ILogger logger)
    {
        _client = client;
        _allowedTtl = allowedTtl;
        _deniedTtl = deniedTtl;
        _cache = new ExpiringCache<string, AuthorizationDecision>(time, CacheCapacity);
        _logger = logger;
    }

    public async ValueTask<AuthorizationDecision> AuthorizeAsync(RequestUser user, RequestAttributes attributes, CancellationToken cancellationToken)
    {
        if (Array.IndexOf(user.Groups, MastersGroup) >= 0)
            return new AuthorizationDecision(true, null);

        var key = CacheKey(user, attributes);
        if (_cache.TryGet(key, out var cached))
            return cached;

        SubjectAccessReview answer;
        try
        {
            answer = await _client.CreateAsync(SubjectAccessReviewPath, Review(user, attributes),
                ReviewJsonContext.Default.SubjectAccessReview, cancellationToken).ConfigureAwait(false);
        }
        // The request's own cancellation (its deadline or the client gone) is no review failure: it goes on up to the
        // request deadline, which answers 504 as upstream's timeout filter does, whatever the chain would write next.
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            _logger.SubjectAccessReviewFailed(ex.GetType().Name, ex.Message);
            return new AuthorizationDecision(false, null, Error: true);
        }

        var status = answer.Status;
        var decision = new AuthorizationDecision(status is { Allowed: true, Denied: false }, status?.Reason);
        _cache.Set(key, decision, decision.Allowed ? _allowedTtl : _deniedTtl);
        return decision;
    }

    private static SubjectAccessReview Review(RequestUser user, RequestAttributes a)
    {
        var spec = new SubjectAccessReviewSpec
        {
            User = user.Name,
            Uid = user.Uid.Length == 0 ? null : user.Uid,
            Groups = user.Groups.Length == 0 ? null : user.Groups,
            Extra = user.Extra.Length == 0 ? null : new Dictionary<string, string[]>(user.Extra),
        };
        if (a.IsResourceRequest)
        {
            spec.ResourceAttributes = new ResourceAttributesJson
            {
                Namespace = Empty(a.Namespace), Verb = a.Verb, Group = Empty(a.Group), Version = Empty(a.Version),
                Resource = Empty(a.Resource), Subresource = Empty(a.Subresource), Name = Empty(a.Name),
            };
        }
        else
        {
            spec.NonResourceAttributes = new NonResourceAttributesJson { Path = a.Path, Verb = a.Verb };
        }
        return new SubjectAccessReview { Spec = spec };
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    // Every field a decision depends on, with a separator no header or path can carry.
    private static string CacheKey(RequestUser user, RequestAttributes a)
    {
        var key = new StringBuilder(128);
        key.Append(user.Name).Append('\0').Append(user.Uid).Append('\0');
        foreach (var group in user.Groups)
            key.Append(group).Append('\u0001');
        key.Append('\0');
        KeyValuePair<string, string[]>[] extra = [.. user.Extra];
        Array.Sort(extra, static (x, y) => string.CompareOrdinal(x.Key, y.Key));
        foreach (var (name, values) in extra)
        {
            key.Append(name).Append('=');
            foreach (var value in values)
                key.Append(value).Append('\u0001');
            key.Append('\u0002');
        }
        key.Append('\0').Append(a.IsResourceRequest ? 'R' : 'N').Append('\0').Append(a.Verb).Append('\0').Append(a.Path).Append('\0')
            .Append(a.Group).Append('\0').Append(a.Version).Append('\0').Append(a.Resource).Append('\0').Append(a.Subresource)
            .Append('\0').Append(a.Namespace).Append('\0').Append(a.Name);
        return key.ToString();
    }
}

/// <summary>An authorizer's answer: allowed, or not with the reviewer's reason; <see cref="Error"/> when nobody could decide.</summary>
internal readonly record struct AuthorizationDecision(bool Allowed, string? Reason, bool Error = false);
