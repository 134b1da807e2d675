using ZLogger;

namespace TinyMetrics.Security;

internal static partial class SecurityLog
{
    [ZLoggerMessage(3001, LogLevel.Warning, "Ignored front-proxy headers from an untrusted client remote={remote} hasClientCertificate={hasCertificate}")]
    public static partial void IgnoredFrontProxyHeaders(this ILogger logger, string remote, bool hasCertificate);

    [ZLoggerMessage(3002, LogLevel.Information, "Client certificate rejected for front-proxy authentication reason={reason}")]
    public static partial void UntrustedClientCertificate(this ILogger logger, string reason);

    [ZLoggerMessage(3003, LogLevel.Information, "Front proxy request without a user header")]
    public static partial void MissingRemoteUser(this ILogger logger);
}
