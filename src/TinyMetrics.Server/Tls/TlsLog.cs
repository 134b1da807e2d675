using ZLogger;

namespace TinyMetrics.Tls;

internal static partial class TlsLog
{
    [ZLoggerMessage(4104, LogLevel.Warning, "{warning}")]
    public static partial void TlsWarning(this ILogger logger, string warning);
}
