using Microsoft.Extensions.Logging;
using ZLogger;

namespace TinyMetrics.Scraping;

// Templates are klog structured calls: the message, then one {key} per key/value pair (see the server's
// KlogFormatter). No quotes inside: the ZLogger generator copies them into its output unescaped.
internal static partial class ScrapeLog
{
    [ZLoggerMessage(2001, LogLevel.Error, "Failed to scrape node {node} {reason} {err}")]
    public static partial void ScrapeFailed(this ILogger logger, string node, string reason, string err);

    [ZLoggerMessage(2002, LogLevel.Error, "Failed to scrape node, timeout to access kubelet {node} {timeout} {reason} {err}")]
    public static partial void KubeletTimeout(this ILogger logger, string node, string timeout, string reason, string err);

    // A NotReady node failing is expected; upstream logs it at V(4).
    [ZLoggerMessage(2003, LogLevel.Debug, "Failed to scrape node, node is not ready {node} {reason} {err}")]
    public static partial void NotReadyScrapeFailed(this ILogger logger, string node, string reason, string err);

    [ZLoggerMessage(2004, LogLevel.Debug, "Scrape finished {durationMs} {nodeCount} {failedCount}")]
    public static partial void CycleDone(this ILogger logger, double durationMs, int nodeCount, int failedCount);

    // NaN, infinite, negative or out-of-range usage values: the points are dropped as decode.go's zero rules drop them.
    [ZLoggerMessage(2005, LogLevel.Debug, "Dropped invalid kubelet samples {node} {count}")]
    public static partial void InvalidSamplesDropped(this ILogger logger, string node, int count);

    [ZLoggerMessage(2010, LogLevel.Information, "Kubelet has no resource metrics endpoint, scraping the Summary API {node} {path}")]
    public static partial void SummaryFallback(this ILogger logger, string node, string path);

    [ZLoggerMessage(2011, LogLevel.Information, "Kubelet serves resource metrics again, leaving the Summary API {node}")]
    public static partial void ResourceAgain(this ILogger logger, string node);
}
