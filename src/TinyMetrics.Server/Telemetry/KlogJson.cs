using System.Buffers;
using ZLogger;

namespace TinyMetrics.Telemetry;

/// <summary>
/// component-base's JSON line (zap through zapr): ts (Unix milliseconds as a float), caller (dir/file:line),
/// msg, then `v` for info entries, the key/value pairs, and an error entry's `err` last. A node and a pod
/// (`namespace/name`) are object references, so they print as {"name":...,"namespace":...} as klog.KRef marshals.
/// </summary>
internal static class KlogJson
{
    public static void Write(IBufferWriter<byte> writer, IZLoggerEntry entry, KlogSite site, int verbosity, bool isError, int messageLength)
    {
        var info = entry.LogInfo;
        GoText.Raw(writer, "{\"ts\":"u8);
        GoText.Float(writer, (info.Timestamp.Utc.UtcTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerMillisecond);
        GoText.Raw(writer, ",\"caller\":\""u8);
        GoText.Utf8(writer, site.Directory);
        GoText.Byte(writer, (byte)'/');
        GoText.Utf8(writer, site.File);
        GoText.Byte(writer, (byte)':');
        GoText.Integer(writer, site.Line);
        GoText.Raw(writer, "\",\"msg\":"u8);
        if (messageLength < 0)
        {
            GoText.Json(writer, entry.ToString());
        }
        else
        {
            GoText.Json(writer, entry.GetOriginalFormat()[..messageLength]);
        }
        if (!isError)
        {
            GoText.Raw(writer, ",\"v\":"u8);
            GoText.Integer(writer, verbosity);
        }
        var errIndex = -1;
        var error = isError ? KlogFormatter.ErrorText(entry, out errIndex) : null;
        if (messageLength >= 0)
            Pairs(writer, entry, errIndex);
        if (error is not null)
        {
            GoText.Raw(writer, ",\"err\":"u8);
            GoText.Json(writer, error);
        }
        GoText.Byte(writer, (byte)'}');
    }

    private static void Pairs(IBufferWriter<byte> writer, IZLoggerEntry entry, int errIndex)
    {
        for (var i = 0; i < entry.ParameterCount; i++)
        {
            if (i == errIndex)
                continue;
            var key = entry.GetParameterKey(i);
            GoText.Raw(writer, ",\""u8);
            writer.Write(key);
            GoText.Raw(writer, "\":"u8);
            Value(writer, entry, i, key.SequenceEqual("node"u8) || key.SequenceEqual("pod"u8));
        }
    }

    private static void Value(IBufferWriter<byte> writer, IZLoggerEntry entry, int index, bool objectRef)
    {
        var type = entry.GetParameterType(index);
        if (type == typeof(string) && objectRef)
        {
            var reference = entry.GetParameterValue<string>(index) ?? "";
            var slash = reference.IndexOf('/', StringComparison.Ordinal);
            GoText.Raw(writer, "{\"name\":"u8);
            GoText.Json(writer, slash < 0 ? reference : reference[(slash + 1)..]);
            if (slash >= 0)
            {
                GoText.Raw(writer, ",\"namespace\":"u8);
                GoText.Json(writer, reference[..slash]);
            }
            GoText.Byte(writer, (byte)'}');
        }
        else if (type == typeof(string))
            GoText.Json(writer, entry.GetParameterValue<string>(index) ?? "");
        else if (!GoText.TryBare(writer, entry, index, type))
            GoText.Json(writer, entry.GetParameterValue(index)?.ToString() ?? "");
    }
}
