using Microsoft.Extensions.Logging;
using ZLogger;

namespace TinyMetrics.Discovery;

internal static partial class DiscoveryLog
{
    [ZLoggerMessage(1001, LogLevel.Information, "Listed {resource}: {count} objects at resourceVersion {resourceVersion}")]
    public static partial void Listed(this ILogger logger, string resource, int count, string resourceVersion);

    [ZLoggerMessage(1002, LogLevel.Information, "Watch of {resource} expired (410 Gone), relisting")]
    public static partial void WatchExpired(this ILogger logger, string resource);

    [ZLoggerMessage(1003, LogLevel.Warning, "List/watch of {resource} failed, retrying in {delayMs} ms: {error}")]
    public static partial void WatchFailed(this ILogger logger, string resource, double delayMs, string error);

    [ZLoggerMessage(1004, LogLevel.Warning, "Watch event of {resource} larger than {maxBytes} bytes, relisting")]
    public static partial void EventTooLarge(this ILogger logger, string resource, int maxBytes);

    [ZLoggerMessage(1005, LogLevel.Debug, "Published cluster view: {nodes} nodes, {pods} pods")]
    public static partial void Published(this ILogger logger, int nodes, int pods);

    [ZLoggerMessage(1006, LogLevel.Warning, "Undecodable watch event of {resource} skipped: {error}")]
    public static partial void BadEvent(this ILogger logger, string resource, string error);
}
