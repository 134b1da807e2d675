using ZLogger;

namespace TinyMetrics.Hosting;

internal static partial class HostingLog
{
    [ZLoggerMessage(1003, LogLevel.Warning, "{warning}")]
    public static partial void FlagWarning(this ILogger logger, string warning);

    [ZLoggerMessage(1004, LogLevel.Information, "Generated self-signed serving certificate in {certDir}")]
    public static partial void GeneratedCertificate(this ILogger logger, string certDir);

    [ZLoggerMessage(1005, LogLevel.Information, "Serving securely on {endpoint}")]
    public static partial void Serving(this ILogger logger, string endpoint);

    [ZLoggerMessage(1006, LogLevel.Warning, "Kubelet serving certificates are not verified (--kubelet-insecure-tls)")]
    public static partial void InsecureKubeletTls(this ILogger logger);

    [ZLoggerMessage(1008, LogLevel.Information, "Starting TinyMetrics {version} resolution={resolutionSeconds}s")]
    public static partial void Starting(this ILogger logger, string version, double resolutionSeconds);
}
