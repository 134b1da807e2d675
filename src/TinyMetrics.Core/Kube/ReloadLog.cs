using Microsoft.Extensions.Logging;
using ZLogger;

namespace TinyMetrics.Kube;

internal static partial class ReloadLog
{
    [ZLoggerMessage(4101, LogLevel.Information, "Reloaded {name} from {files}")]
    public static partial void Reloaded(this ILogger logger, string name, string files);

    [ZLoggerMessage(4102, LogLevel.Warning, "Keeping the current {name}: the new content of {files} is not usable: {reason}")]
    public static partial void ReloadRejected(this ILogger logger, string name, string files, string reason);

    [ZLoggerMessage(4103, LogLevel.Warning, "Could not read {name} files, keeping the current one: {reason}")]
    public static partial void ReloadReadFailed(this ILogger logger, string name, string reason);
}
