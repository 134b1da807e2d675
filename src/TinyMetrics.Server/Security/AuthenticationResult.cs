namespace TinyMetrics.Security;

/// <summary>
/// One authenticator's verdict, as upstream's (user, ok, err): a user; nothing to say (the next
/// authenticator tries); or a failure, which turns into 401 when no other authenticator succeeds.
/// </summary>
internal readonly record struct AuthenticationResult(RequestUser? User, string? Failure)
{
    public static readonly AuthenticationResult NotApplicable = default;

    public static AuthenticationResult Success(RequestUser user) => new(user, null);

    public static AuthenticationResult Failed(string reason) => new(null, reason);
}
