namespace TinyMetrics.Security;

/// <summary>One link of the authentication chain (request header, client certificate, bearer token).</summary>
internal interface IRequestAuthenticator
{
    /// <summary><paramref name="config"/> is the trust configuration loaded once for this request.</summary>
    ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, AuthenticationConfig config, CancellationToken cancellationToken);
}
