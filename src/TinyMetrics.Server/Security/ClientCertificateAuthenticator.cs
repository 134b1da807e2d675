namespace TinyMetrics.Security;

/// <summary>Upstream's x509 authenticator: a certificate signed by --client-ca-file names the user (CN) and groups (O).</summary>
internal sealed class ClientCertificateAuthenticator : IRequestAuthenticator
{
    private readonly TimeProvider _time;

    public ClientCertificateAuthenticator(TimeProvider time) => _time = time;

    public ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, AuthenticationConfig config, CancellationToken cancellationToken)
    {
        var certificate = context.Connection.ClientCertificate;
        if (certificate is null || config.ClientCa is null)
            return ValueTask.FromResult(AuthenticationResult.NotApplicable);

        var failure = ConnectionVerdicts.GetOrVerify(context, this, config, certificate, _time.GetUtcNow().UtcDateTime,
            static (c, cert, now) => ClientChain.Verify(cert, c.ClientCa!, now) ? null : "certificate is not signed by the client CA or is not valid for client auth");
        if (failure is not null)
            return ValueTask.FromResult(AuthenticationResult.Failed(failure));

        var name = ClientChain.CommonName(certificate);
        // Upstream: a verified certificate without a CN authenticates nobody, without an error.
        return ValueTask.FromResult(name.Length == 0
            ? AuthenticationResult.NotApplicable
            : AuthenticationResult.Success(new RequestUser(name, ClientChain.Organizations(certificate), [])));
    }
}
