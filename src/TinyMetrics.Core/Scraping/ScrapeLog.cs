using Microsoft.Extensions.Logging;
using ZLogger;

namespace TinyMetrics.Scraping;

// No quotes inside the templates: the ZLogger generator copies them into its output unescaped.
internal static partial class ScrapeLog
{
    [ZLoggerMessage(2001, LogLevel.Warning, "Failed to scrape node: node={node} err={error}")]
    public static partial void ScrapeFailed(this ILogger logger, string node, string error);

    [ZLoggerMessage(2002, LogLevel.Warning, "timeout to access kubelet: node={node} timeoutMs={timeoutMs}")]
    public static partial void KubeletTimeout(this ILogger logger, string node, double timeoutMs);

    // A NotReady node failing is expected; upstream logs it at V(4).
    [ZLoggerMessage(2003, LogLevel.Debug, "Failed to scrape node, node is not ready: node={node} err={error}")]
    public static partial void NotReadyScrapeFailed(this ILogger logger, string node, string error);

    [ZLoggerMessage(2004, LogLevel.Debug, "Scraped {nodes} nodes, {failed} failed, in {elapsedMs} ms")]
    public static partial void CycleDone(this ILogger logger, int nodes, int failed, double elapsedMs);
}
