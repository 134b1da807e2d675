using System.Text.Json.Serialization;
using Utf8StringInterpolation;
using ZLogger;

namespace TinyMetrics.Telemetry;

/// <summary>
/// klog-shaped text (what operators grep for metrics-server) or JSON with --logging-format=json;
/// -v raises verbosity as klog's levels do (4 and up: debug, 6 and up: trace). Logs go to stderr.
/// </summary>
internal static class Logging
{
    public static void Configure(ILoggingBuilder logging, int verbosity, bool json)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(verbosity >= 6 ? LogLevel.Trace : verbosity >= 4 ? LogLevel.Debug : LogLevel.Information);
        // Framework chatter stays out unless asked for; it is also not in our JSON type resolver.
        logging.AddFilter("Microsoft", verbosity >= 6 ? LogLevel.Information : LogLevel.Warning);
        logging.AddZLoggerConsole(options =>
        {
            options.LogToStandardErrorThreshold = LogLevel.Trace;
            if (json)
            {
                options.UseJsonFormatter(formatter =>
                {
                    formatter.JsonSerializerOptions = new System.Text.Json.JsonSerializerOptions { TypeInfoResolver = LogJsonContext.Default };
                });
            }
            else
            {
                options.UsePlainTextFormatter(formatter =>
                {
                    formatter.SetPrefixFormatter($"{0}{1:MMdd HH:mm:ss.ffffff} {2}] ", static (in MessageTemplate template, in LogInfo info) =>
                        template.Format(LevelLetter(info.LogLevel), info.Timestamp.Utc.UtcDateTime, ShortCategory(info.Category.Name)));
                    formatter.SetExceptionFormatter(static (writer, exception) => Utf8String.Format(writer, $" err=\"{exception.Message}\""));
                });
            }
        });
    }

    private static char LevelLetter(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => 'E',
        LogLevel.Warning => 'W',
        _ => 'I',
    };

    private static string ShortCategory(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }
}

[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
internal sealed partial class LogJsonContext : JsonSerializerContext;
