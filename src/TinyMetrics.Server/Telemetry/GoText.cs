using System.Buffers;
using System.Globalization;
using System.Text;

namespace TinyMetrics.Telemetry;

/// <summary>
/// UTF-8 writers for the log formats: Go's strconv.Quote (klog text) and zap's JSON string escaping,
/// numbers as Go's encoders print them.
/// </summary>
internal static class GoText
{
    public static void Raw(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes) => writer.Write(bytes);

    /// <summary>Writes a bool or number parameter bare, as both klog's text and zapr's JSON do; false for any other type.</summary>
    public static bool TryBare(IBufferWriter<byte> writer, ZLogger.IZLoggerEntry entry, int index, Type type)
    {
        if (type == typeof(bool))
            Raw(writer, entry.GetParameterValue<bool>(index) ? "true"u8 : "false"u8);
        else if (type == typeof(int))
            Integer(writer, entry.GetParameterValue<int>(index));
        else if (type == typeof(long))
            Integer(writer, entry.GetParameterValue<long>(index));
        else if (type == typeof(double))
            Float(writer, entry.GetParameterValue<double>(index));
        else
            return false;
        return true;
    }

    public static void Utf8(IBufferWriter<byte> writer, string text)
    {
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    public static void Byte(IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    /// <summary>Go's strconv.Quote: printable runes as they are, the usual escapes, \x for other control bytes, \u for other non-printables.</summary>
    public static void Quoted(IBufferWriter<byte> writer, string text)
    {
        Byte(writer, (byte)'"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': Raw(writer, "\\\""u8); break;
                case '\\': Raw(writer, "\\\\"u8); break;
                case '\a': Raw(writer, "\\a"u8); break;
                case '\b': Raw(writer, "\\b"u8); break;
                case '\f': Raw(writer, "\\f"u8); break;
                case '\n': Raw(writer, "\\n"u8); break;
                case '\r': Raw(writer, "\\r"u8); break;
                case '\t': Raw(writer, "\\t"u8); break;
                case '\v': Raw(writer, "\\v"u8); break;
                default: QuotedRune(writer, rune); break;
            }
        }
        Byte(writer, (byte)'"');
    }

    private static void QuotedRune(IBufferWriter<byte> writer, Rune rune)
    {
        if (rune.Value < 0x20 || rune.Value == 0x7f)
        {
            Raw(writer, "\\x"u8);
            Hex(writer, rune.Value, 2);
        }
        else if (rune.Value == ' ' || IsPrint(rune))
        {
            var span = writer.GetSpan(4);
            writer.Advance(rune.EncodeToUtf8(span));
        }
        else if (rune.Value <= 0xFFFF)
        {
            Raw(writer, "\\u"u8);
            Hex(writer, rune.Value, 4);
        }
        else
        {
            Raw(writer, "\\U"u8);
            Hex(writer, rune.Value, 8);
        }
    }

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsPrint(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => false,
        _ => true,
    };

    private static void Hex(IBufferWriter<byte> writer, int value, int digits)
    {
        var span = writer.GetSpan(digits);
        for (var i = digits - 1; i >= 0; i--, value >>= 4)
            span[i] = (byte)"0123456789abcdef"[value & 0xF];
        writer.Advance(digits);
    }

    /// <summary>A JSON string as zap writes it: quote, backslash and control characters escaped, the rest as UTF-8.</summary>
    public static void Json(IBufferWriter<byte> writer, string text)
    {
        Byte(writer, (byte)'"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': Raw(writer, "\\\""u8); break;
                case '\\': Raw(writer, "\\\\"u8); break;
                case '\n': Raw(writer, "\\n"u8); break;
                case '\r': Raw(writer, "\\r"u8); break;
                case '\t': Raw(writer, "\\t"u8); break;
                case < 0x20:
                    Raw(writer, "\\u00"u8);
                    Hex(writer, rune.Value, 2);
                    break;
                default:
                    writer.Advance(rune.EncodeToUtf8(writer.GetSpan(4)));
                    break;
            }
        }
        Byte(writer, (byte)'"');
    }

    public static void Integer(IBufferWriter<byte> writer, long value)
    {
        var span = writer.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        writer.Advance(written);
    }

    /// <summary>A float64 as Go's encoding/json and zap print it: shortest round-trip digits, no exponent in [1e-6, 1e21).</summary>
    public static void Float(IBufferWriter<byte> writer, double value)
    {
        var abs = Math.Abs(value);
        var exponent = abs != 0 && (abs < 1e-6 || abs >= 1e21);
        Utf8(writer, exponent ? value.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant() : Shortest(value));
    }

    private static string Shortest(double value)
    {
        // "R" is the shortest round-trip text; it switches to an exponent at 1e15, which Go does not.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) ? value.ToString("F0", CultureInfo.InvariantCulture) : text;
    }
}
