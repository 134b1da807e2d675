using Microsoft.Extensions.Logging;
using ZLogger;

namespace TinyMetrics.Storage;

// At most one line per node and cycle each: storage sees every container, but says it once per node.
internal static partial class StorageLog
{
    // A kubelet whose timestamps go backwards: upstream drops the point as older than the stored one (V2).
    [ZLoggerMessage(2006, LogLevel.Debug, "Dropped kubelet points not newer than the stored ones {node} {count}")]
    public static partial void StalePointsDropped(this ILogger logger, string node, int count);

    // pkg/storage's resourceUsage refusing a rate (a counter or start time going down): ErrorS, as upstream says it.
    [ZLoggerMessage(2007, LogLevel.Error, "Skipping node usage metric {node} {err}")]
    public static partial void NodeUsageSkipped(this ILogger logger, string node, string err);

    // Upstream's line names one container and its pod; here the first of the node's refused containers, and how many.
    [ZLoggerMessage(2008, LogLevel.Error, "Skipping container usage metric {container} {pod} {node} {containers} {err}")]
    public static partial void ContainerUsageSkipped(this ILogger logger, string container, string pod, string node, int containers, string err);
}
