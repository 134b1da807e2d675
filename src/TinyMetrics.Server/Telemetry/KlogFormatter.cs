using System.Buffers;
using ZLogger;

namespace TinyMetrics.Telemetry;

/// <summary>
/// klog's two formats from ZLogger entries. Text: `E1202 03:46:41.910470       1 scraper.go:149] "msg" err="..." node="node-3"`;
/// JSON (component-base logs/json): `{"ts":ms,"caller":"dir/file:line","msg":"...","v":0,...}` with an error's
/// `err` last and no `v`. A template `Message {key} {key}` is a structured call (klog's InfoS/ErrorS): the
/// text before the first placeholder is the message and the parameters are the key/value pairs; any other
/// template is a printf-style call (klog's Infof), written formatted and unquoted.
/// </summary>
internal sealed class KlogFormatter(bool json, int verbosity) : IZLoggerFormatter
{
    // The newline is written here, so an entry above the -v level can write nothing at all.
    public bool WithLineBreak => false;

    public void FormatLogEntry(IBufferWriter<byte> writer, IZLoggerEntry entry)
    {
        var info = entry.LogInfo;
        var site = KlogSites.For(info.EventId.Id);
        var level = VerbosityOf(site, info.LogLevel);
        if (level > verbosity)
            return;
        var template = entry.GetOriginalFormat();
        // Framework entries (plain ILogger calls) have no UTF-8 keys: they print as printf-style lines.
        var messageLength = entry.IsSupportUtf8ParameterKey && !site.Printf ? StructuredMessageLength(template) : -1;
        var isError = info.LogLevel >= Microsoft.Extensions.Logging.LogLevel.Error;
        if (json)
            KlogJson.Write(writer, entry, site, level, isError, messageLength);
        else
            KlogText.Write(writer, entry, site, isError, messageLength);
        GoText.Byte(writer, (byte)'\n');
    }

    public static int VerbosityOf(KlogSite site, Microsoft.Extensions.Logging.LogLevel level) =>
        site.Verbosity != KlogSites.FromLevel ? site.Verbosity : level switch
        {
            Microsoft.Extensions.Logging.LogLevel.Trace => 6,
            Microsoft.Extensions.Logging.LogLevel.Debug => 4,
            _ => 0,
        };

    /// <summary>The length of the message of a structured template, or -1 for a printf-style one.</summary>
    public static int StructuredMessageLength(string template)
    {
        var brace = template.IndexOf(" {", StringComparison.Ordinal);
        if (brace < 0)
            return template.Contains('{', StringComparison.Ordinal) || template.Length == 0 ? -1 : template.Length;
        for (var i = brace; i < template.Length;)
        {
            if (i + 1 >= template.Length || template[i] != ' ' || template[i + 1] != '{')
                return -1;
            var close = template.IndexOf('}', i);
            if (close < 0)
                return -1;
            i = close + 1;
        }
        return brace;
    }

    /// <summary>The error of an error-level entry: its `err` parameter, else the exception's message.</summary>
    public static string? ErrorText(IZLoggerEntry entry, out int errIndex)
    {
        errIndex = entry.IsSupportUtf8ParameterKey ? IndexOf(entry, "err"u8) : -1;
        if (errIndex >= 0)
            return entry.GetParameterValue<string>(errIndex);
        return entry.LogInfo.Exception?.Message;
    }

    private static int IndexOf(IZLoggerEntry entry, ReadOnlySpan<byte> key)
    {
        for (var i = 0; i < entry.ParameterCount; i++)
        {
            if (entry.GetParameterKey(i).SequenceEqual(key) && entry.GetParameterType(i) == typeof(string))
                return i;
        }
        return -1;
    }
}
