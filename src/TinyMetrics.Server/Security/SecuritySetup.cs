using TinyMetrics.Configuration;
using TinyMetrics.Kube;

namespace TinyMetrics.Security;

/// <summary>
/// Builds the authentication chain and the authorizer from the flags. The review clients use
/// --authentication-kubeconfig / --authorization-kubeconfig, else the main --kubeconfig, else in-cluster.
/// </summary>
internal sealed class SecuritySetup : IDisposable
{
    private readonly KubeReviewClient _authenticationClient;
    private readonly KubeReviewClient _authorizationClient;
    private readonly AuthenticationConfigSource _config;
    private readonly AuthenticationChain _authentication;
    private readonly SubjectAccessReviewAuthorizer _authorizer;
    private readonly AlwaysAllowPaths _alwaysAllow;
    private readonly MaxInFlightLimit _inFlight;
    private readonly ILogger _logger;

    private SecuritySetup(ServerOptions options, TimeProvider time, TimeSpan fileCheckInterval, ILoggerFactory loggers, IRestClientMetrics? restMetrics)
    {
        _logger = loggers.CreateLogger("Security");
        _authenticationClient = new KubeReviewClient(Connect(options.AuthenticationKubeconfig, options.Kubeconfig, time), restMetrics);
        _authorizationClient = new KubeReviewClient(Connect(options.AuthorizationKubeconfig, options.Kubeconfig, time), restMetrics);
        _config = AuthenticationConfigSource.Start(options, _authenticationClient, time, fileCheckInterval, _logger);
        _authentication = new AuthenticationChain(_config,
            new TokenReviewAuthenticator(_authenticationClient, options.AuthenticationTokenWebhookCacheTtl, time, _logger), time, _logger);
        _authorizer = new SubjectAccessReviewAuthorizer(_authorizationClient, options.AuthorizationWebhookCacheAuthorizedTtl,
            options.AuthorizationWebhookCacheUnauthorizedTtl, time, _logger);
        _alwaysAllow = new AlwaysAllowPaths([.. options.AuthorizationAlwaysAllowPaths]);
        _inFlight = new MaxInFlightLimit(options.MaxRequestsInflight, options.MaxMutatingRequestsInflight);
    }

    public AuthenticationConfigSource Config => _config;

    public MaxInFlightLimit InFlight => _inFlight;

    /// <summary>Throws <see cref="InvalidDataException"/> when the authentication ConfigMap is required but unreadable.</summary>
    /// <param name="fileCheckInterval">How often the CA files named by flags are re-read.</param>
    /// <param name="restMetrics">Where the review and ConfigMap calls are counted (rest_client_*).</param>
    public static SecuritySetup Create(ServerOptions options, TimeProvider time, TimeSpan fileCheckInterval, ILoggerFactory loggers,
        IRestClientMetrics? restMetrics = null)
    {
        var setup = new SecuritySetup(options, time, fileCheckInterval, loggers, restMetrics);
        if (setup._config.Current.RequestHeader.ClientCa is null)
            setup._logger.RequestHeaderCaMissing();
        return setup;
    }

    public Func<RequestDelegate, RequestDelegate> Middleware =>
        next => new RequestSecurity(next, _alwaysAllow, _authentication, _authorizer, _inFlight, _logger).InvokeAsync;

    public void Dispose()
    {
        _config.Dispose();
        _authenticationClient.Dispose();
        _authorizationClient.Dispose();
    }

    private static KubeConnection Connect(string specific, string main, TimeProvider time) =>
        KubeConnection.Load(specific.Length > 0 ? specific : main.Length > 0 ? main : null, time);
}
