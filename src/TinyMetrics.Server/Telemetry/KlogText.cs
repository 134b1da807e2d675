using System.Buffers;
using ZLogger;

namespace TinyMetrics.Telemetry;

/// <summary>klog's text line: header (klog's FormatHeader), the %q message, then key=value pairs (klog's KVFormat).</summary>
internal static class KlogText
{
    private static readonly int Pid = Environment.ProcessId;

    public static void Write(IBufferWriter<byte> writer, IZLoggerEntry entry, KlogSite site, bool isError, int messageLength)
    {
        var info = entry.LogInfo;
        Header(writer, Letter(info.LogLevel), info.Timestamp.Utc.UtcDateTime, site);
        if (messageLength < 0)
        {
            entry.ToString(writer);
            return;
        }
        GoText.Quoted(writer, entry.GetOriginalFormat()[..messageLength]);
        var errIndex = -1;
        if (isError && KlogFormatter.ErrorText(entry, out errIndex) is { } error)
            StringPair(writer, "err", error);
        for (var i = 0; i < entry.ParameterCount; i++)
        {
            if (i == errIndex)
                continue;
            GoText.Byte(writer, (byte)' ');
            writer.Write(entry.GetParameterKey(i));
            Value(writer, entry, i);
        }
    }

    public static byte Letter(Microsoft.Extensions.Logging.LogLevel level) => level switch
    {
        Microsoft.Extensions.Logging.LogLevel.Critical => (byte)'F',
        Microsoft.Extensions.Logging.LogLevel.Error => (byte)'E',
        Microsoft.Extensions.Logging.LogLevel.Warning => (byte)'W',
        _ => (byte)'I',
    };

    /// <summary>`Lmmdd hh:mm:ss.uuuuuu ppppppp file:line] ` with the pid right-aligned in seven columns.</summary>
    public static void Header(IBufferWriter<byte> writer, byte letter, DateTime time, KlogSite site)
    {
        var span = writer.GetSpan(30);
        span[0] = letter;
        Digits(span.Slice(1, 2), time.Month, (byte)'0');
        Digits(span.Slice(3, 2), time.Day, (byte)'0');
        span[5] = (byte)' ';
        Digits(span.Slice(6, 2), time.Hour, (byte)'0');
        span[8] = (byte)':';
        Digits(span.Slice(9, 2), time.Minute, (byte)'0');
        span[11] = (byte)':';
        Digits(span.Slice(12, 2), time.Second, (byte)'0');
        span[14] = (byte)'.';
        Digits(span.Slice(15, 6), (int)(time.Ticks % TimeSpan.TicksPerSecond / 10), (byte)'0');
        span[21] = (byte)' ';
        Digits(span.Slice(22, 7), Pid, (byte)' ');
        span[29] = (byte)' ';
        writer.Advance(30);
        GoText.Utf8(writer, site.File);
        GoText.Byte(writer, (byte)':');
        GoText.Integer(writer, site.Line);
        GoText.Raw(writer, "] "u8);
    }

    // klog's nDigits: the low digits of value, right-aligned, padded on the left.
    private static void Digits(Span<byte> target, int value, byte pad)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = value == 0 && i < target.Length - 1 ? pad : (byte)('0' + value % 10);
            value /= 10;
        }
    }

    private static void Value(IBufferWriter<byte> writer, IZLoggerEntry entry, int index)
    {
        var type = entry.GetParameterType(index);
        if (type == typeof(string))
        {
            StringValue(writer, entry.GetParameterValue<string>(index) ?? "");
            return;
        }
        GoText.Byte(writer, (byte)'=');
        if (!GoText.TryBare(writer, entry, index, type))
            GoText.Quoted(writer, entry.GetParameterValue(index)?.ToString() ?? "");
    }

    private static void StringPair(IBufferWriter<byte> writer, string key, string value)
    {
        GoText.Byte(writer, (byte)' ');
        GoText.Utf8(writer, key);
        StringValue(writer, value);
    }

    /// <summary>klog's writeStringValue: a quoted string, or a multi-line one as `=&lt;` tab-indented lines and ` &gt;`.</summary>
    public static void StringValue(IBufferWriter<byte> writer, string value)
    {
        if (!value.Contains('\n', StringComparison.Ordinal))
        {
            GoText.Byte(writer, (byte)'=');
            GoText.Quoted(writer, value);
            return;
        }
        GoText.Raw(writer, "=<\n"u8);
        var rest = value.AsSpan();
        int newline;
        while ((newline = rest.IndexOf('\n')) >= 0)
        {
            GoText.Byte(writer, (byte)'\t');
            GoText.Utf8(writer, rest[..(newline + 1)].ToString());
            rest = rest[(newline + 1)..];
        }
        if (rest.Length == 0)
        {
            GoText.Raw(writer, " >"u8);
            return;
        }
        GoText.Byte(writer, (byte)'\t');
        GoText.Utf8(writer, rest.ToString());
        GoText.Raw(writer, "\n >"u8);
    }
}
