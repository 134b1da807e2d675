using System.Text.Json;

namespace TinyMetrics.Parsing;

/// <summary>The Summary API's leaf objects (CPU, memory and swap stats, <c>metav1.Time</c>) and the Try-pattern helpers the Summary parser shares.</summary>
internal static class SummaryJson
{
    // CPU or memory stats: a time and one usage value; null stands for the whole object being absent.
    public static bool TryReadUsage(ref Utf8JsonReader reader, ReadOnlySpan<byte> valueName, out SummaryUsage usage, out string? error)
    {
        usage = default;
        if (reader.TokenType == JsonTokenType.Null)
            return Ok(out error);
        if (reader.TokenType != JsonTokenType.StartObject)
            return Fail("stats: expected an object", out error);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("time"u8))
            {
                reader.Read();
                if (!TryReadTime(ref reader, out var timeNs, out var hasTime, out error))
                    return false;
                usage.TimeNs = hasTime ? timeNs : 0;
            }
            else if (reader.ValueTextEquals(valueName))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                    usage.Value = 0;
                else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out usage.Value))
                    return Fail("stats: usage is not an unsigned integer", out error);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return Ok(out error);
    }

    // SwapStats (kubelet 1.29+): swapUsageBytes is the reading, as the kubelet's node_ and container_swap_usage_bytes
    // series; a null object or a missing or null swapUsageBytes is no reading, as those series are then not written.
    public static bool TryReadSwap(ref Utf8JsonReader reader, out SwapUsage swap, out string? error)
    {
        swap = default;
        if (reader.TokenType == JsonTokenType.Null)
            return Ok(out error);
        if (reader.TokenType != JsonTokenType.StartObject)
            return Fail("swap: expected an object", out error);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("time"u8))
            {
                reader.Read();
                if (!TryReadTime(ref reader, out _, out _, out error))
                    return false;
            }
            else if (reader.ValueTextEquals("swapUsageBytes"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                    swap = default;
                else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out var bytes))
                    return Fail("swap: usage is not an unsigned integer", out error);
                else
                    swap = SwapUsage.Of(bytes);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return Ok(out error);
    }

    // metav1.Time: null or the zero time mean none; a time before the epoch is no usable sample time either.
    public static bool TryReadTime(ref Utf8JsonReader reader, out long unixNs, out bool present, out string? error)
    {
        unixNs = 0;
        present = false;
        if (reader.TokenType == JsonTokenType.Null)
            return Ok(out error);
        if (reader.TokenType != JsonTokenType.String)
            return Fail("time: expected a string", out error);
        Span<byte> scratch = stackalloc byte[64];
        scoped ReadOnlySpan<byte> text = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            if (reader.ValueSpan.Length > scratch.Length)
                return Fail("time: not RFC 3339", out error);
            text = scratch[..reader.CopyString(scratch)];
        }
        if (!SummaryTime.TryParse(text, out var ns, out var isZero))
            return Fail("time: not RFC 3339", out error);
        present = !isZero;
        unixNs = present && ns > 0 ? ns : 0;
        return Ok(out error);
    }

    public static bool Ok(out string? error)
    {
        error = null;
        return true;
    }

    public static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}

/// <summary>One stats object: its time (Unix ns, 0 when none) and its usage value (0 when missing).</summary>
internal struct SummaryUsage
{
    public long TimeNs;
    public ulong Value;
}
