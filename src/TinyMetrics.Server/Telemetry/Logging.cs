using ZLogger;

namespace TinyMetrics.Telemetry;

/// <summary>
/// klog's text lines, or klog's JSON with --logging-format=json, on stderr. -v works as klog's: an event
/// prints when its V level (KlogSites) is at most -v. Debug entries are enabled from -v=1 and Trace from
/// -v=6, so at the default nothing above V(0) is even built.
/// </summary>
internal static class Logging
{
    public static void Configure(ILoggingBuilder logging, int verbosity, bool json)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(verbosity >= 6 ? LogLevel.Trace : verbosity >= 1 ? LogLevel.Debug : LogLevel.Information);
        // Framework chatter stays out unless asked for.
        logging.AddFilter("Microsoft", verbosity >= 6 ? LogLevel.Information : LogLevel.Warning);
        logging.AddZLoggerConsole(options =>
        {
            options.LogToStandardErrorThreshold = LogLevel.Trace;
            options.UseFormatter(() => new KlogFormatter(json, verbosity));
        });
    }
}
