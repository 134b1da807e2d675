using System.Text.Json;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// TokenReview and SubjectAccessReview, for a delegating server (TinyMetrics) to check callers; who is allowed is
/// the <see cref="ReviewPolicy"/>'s call.
/// </summary>
internal static class ReviewHandler
{
    public static async Task TokenReviewAsync(HttpContext context)
    {
        var review = await ReadAsync(context, ApiJsonContext.Default.TokenReview);
        if (review is null)
            return;
        var caller = TokenAuthenticator.ForToken(review.Spec.Token);
        var expired = caller is null && review.Spec.Token is { } token && IssuedTokens.Find(token, DateTimeOffset.UtcNow, out var gone) is null && gone;
        review.Status = caller is null
            ? new TokenReviewStatus { Authenticated = false, Error = expired ? "token has expired" : "invalid bearer token" }
            : new TokenReviewStatus { Authenticated = true, User = new UserInfo { Username = caller.User, Groups = caller.Groups } };
        await ApiResponses.WriteAsync(context, StatusCodes.Status201Created, review, ApiJsonContext.Default.TokenReview);
    }

    public static async Task SubjectAccessReviewAsync(HttpContext context, ReviewPolicy policy)
    {
        var review = await ReadAsync(context, ApiJsonContext.Default.SubjectAccessReview);
        if (review is null)
            return;
        var user = review.Spec.User ?? "";
        // A slow authorizer, as a loaded kube-apiserver is: the caller's request deadline must cut it short.
        if (policy.DelayFor(user) is { Ticks: > 0 } delay)
            await Task.Delay(delay, context.RequestAborted);
        var allowed = policy.Allows(user);
        review.Status = new SubjectAccessReviewStatus { Allowed = allowed, Reason = ReviewPolicy.Reason(user, allowed) };
        await ApiResponses.WriteAsync(context, StatusCodes.Status201Created, review, ApiJsonContext.Default.SubjectAccessReview);
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted);
            if (value is not null)
                return value;
        }
        catch (JsonException)
        {
        }
        await ApiResponses.BadRequestAsync(context, "the body is not a valid " + typeof(T).Name);
        return null;
    }
}
