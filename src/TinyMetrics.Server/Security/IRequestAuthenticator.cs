namespace TinyMetrics.Security;

/// <summary>One link of the authentication chain (request header, client certificate, bearer token).</summary>
internal interface IRequestAuthenticator
{
    ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken);
}
