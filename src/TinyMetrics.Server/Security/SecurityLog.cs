using ZLogger;

namespace TinyMetrics.Security;

internal static partial class SecurityLog
{
    [ZLoggerMessage(6001, LogLevel.Warning, "Ignored front-proxy headers from an untrusted client remote={remote} hasClientCertificate={hasCertificate}")]
    public static partial void IgnoredFrontProxyHeaders(this ILogger logger, string remote, bool hasCertificate);

    [ZLoggerMessage(6002, LogLevel.Information, "Front proxy request without a user header")]
    public static partial void MissingRemoteUser(this ILogger logger);

    [ZLoggerMessage(6003, LogLevel.Warning, "TokenReview failed error={errorType} message={message}")]
    public static partial void TokenReviewFailed(this ILogger logger, string errorType, string message);

    [ZLoggerMessage(6004, LogLevel.Warning, "SubjectAccessReview failed error={errorType} message={message}")]
    public static partial void SubjectAccessReviewFailed(this ILogger logger, string errorType, string message);

    [ZLoggerMessage(6005, LogLevel.Warning, "Refreshing the authentication configuration failed, keeping the previous one error={errorType} message={message}")]
    public static partial void AuthenticationRefreshFailed(this ILogger logger, string errorType, string message);

    [ZLoggerMessage(6006, LogLevel.Warning, "ConfigMap kube-system/extension-apiserver-authentication not found: client certificate and request-header authentication are off unless given by flags")]
    public static partial void AuthenticationConfigMapMissing(this ILogger logger);

    [ZLoggerMessage(6007, LogLevel.Warning, "Error looking up in-cluster authentication configuration: {message}. Continuing without authentication configuration. This may treat all requests as anonymous. To require authentication configuration lookup to succeed, set --authentication-tolerate-lookup-failure=false")]
    public static partial void AuthenticationLookupTolerated(this ILogger logger, string message);

    [ZLoggerMessage(6008, LogLevel.Warning, "No authentication kubeconfig: client-ca-file cannot be looked up, so client certificate authentication won't work")]
    public static partial void NoAuthenticationKubeconfig(this ILogger logger);

    // Upstream's authentication filter: an error from any authenticator (a certificate that does not verify,
    // a token the TokenReview rejects) is logged; a request with no credentials at all is not.
    [ZLoggerMessage(6009, LogLevel.Error, "Unable to authenticate the request {err}")]
    public static partial void AuthenticationFailed(this ILogger logger, string err);

    [ZLoggerMessage(6010, LogLevel.Debug, "Forbidden {URI} {reason}")]
    public static partial void Forbidden(this ILogger logger, string URI, string reason);

    [ZLoggerMessage(6011, LogLevel.Information, "Reloaded the client CA and request-header settings from kube-system/extension-apiserver-authentication")]
    public static partial void AuthenticationConfigMapChanged(this ILogger logger);

    [ZLoggerMessage(6012, LogLevel.Warning, "No request-header client CA (flag or ConfigMap): front-proxy requests will not authenticate")]
    public static partial void RequestHeaderCaMissing(this ILogger logger);

    [ZLoggerMessage(6013, LogLevel.Information, "Loaded a new CA Bundle and Verifier {name}")]
    public static partial void LoadedCaBundle(this ILogger logger, string name);
}
