using System.Text;
using System.Globalization;

namespace TinyMetrics.Parsing;

/// <remarks>
/// Values follow Go's <c>strconv.ParseFloat</c> as Prometheus' text parser calls it: decimal and exponent
/// forms, <c>NaN</c> and signed <c>Inf</c>/<c>Infinity</c> in any case; hex, <c>_</c> and out-of-range
/// literals are syntax errors that fail the node. A NaN, infinite or negative usage is a valid line but an
/// invalid sample: it converts to 0, so decode.go's zero rules drop the node point or the pod.
/// </remarks>
internal static class SampleValue
{
    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
    private const double TwoPow64 = 18446744073709551616.0;
    private const double TwoPow63 = 9223372036854775808.0;

    private static readonly double[] ExactPowersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        if (TryParseExact(text, out value))
            return true;
        if (TryParseSpecial(text, out value))
            return true;
        foreach (var b in text)
        {
            if (!IsNumberByte(b))
                return false;
        }
        // .NET saturates an overflowing literal to infinity where Go reports ErrRange.
        return double.TryParse(text, Style, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Seconds to nanoseconds as upstream's <c>uint64(value*1e9)</c>: truncated; 0 when invalid.</summary>
    public static ulong SecondsToNanos(double seconds) => ToUInt64(seconds * 1e9);

    /// <summary>Bytes as upstream's <c>uint64(value)</c>: truncated; 0 when invalid.</summary>
    public static ulong ToUInt64(double value) => value is >= 0 and < TwoPow64 ? (ulong)value : 0;

    /// <summary>A start time in Unix ns; an unrepresentable or pre-epoch one means "unknown" (0), as a missing one does.</summary>
    public static long StartSecondsToNanos(double seconds)
    {
        var ns = seconds * 1e9;
        return ns is > 0 and < TwoPow63 ? (long)ns : 0;
    }

    /// <summary>
    /// Clinger's fast path, as Go's own <c>atof64exact</c>: at most 15 significant digits and a decimal
    /// exponent within ±22 make mantissa and power of ten exact doubles, so one IEEE multiply or divide is
    /// the correctly rounded result a full parse would give. Anything else returns false for the full parser.
    /// </summary>
    private static bool TryParseExact(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (s.Length > 0 && s[0] is (byte)'-' or (byte)'+')
        {
            negative = s[0] == (byte)'-';
            i++;
        }
        ulong mantissa = 0;
        int significant = 0, scale = 0, digits = 0;
        var afterPoint = false;
        for (; i < s.Length; i++)
        {
            var b = s[i];
            if (b == (byte)'.' && !afterPoint)
            {
                afterPoint = true;
                continue;
            }
            if (b - (uint)'0' > 9)
                break;
            digits++;
            if (mantissa != 0 || b != (byte)'0')
            {
                if (++significant > 15)
                    return false;
                mantissa = (mantissa * 10) + (uint)(b - '0');
            }
            if (afterPoint)
                scale--;
        }
        if (digits == 0 || !TryReadExponent(s[i..], ref scale) || scale is < -22 or > 22)
            return false;
        var magnitude = scale < 0 ? mantissa / ExactPowersOf10[-scale] : mantissa * ExactPowersOf10[scale];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    private static bool TryReadExponent(ReadOnlySpan<byte> s, ref int scale)
    {
        if (s.IsEmpty)
            return true;
        if (s[0] is not ((byte)'e' or (byte)'E') || s.Length < 2)
            return false;
        var i = 1;
        var negative = s[i] == (byte)'-';
        if (s[i] is (byte)'-' or (byte)'+')
            i++;
        if (i == s.Length || s.Length - i > 3)
            return false;
        var exponent = 0;
        for (; i < s.Length; i++)
        {
            if (s[i] - (uint)'0' > 9)
                return false;
            exponent = (exponent * 10) + (s[i] - '0');
        }
        scale += negative ? -exponent : exponent;
        return true;
    }

    private static bool IsNumberByte(byte b) =>
        b - (uint)'0' <= 9 || b is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-';

    private static bool TryParseSpecial(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.Length is < 3 or > 9)
            return false;
        if (text.Length == 3 && Ascii.EqualsIgnoreCase(text, "nan"u8))
        {
            value = double.NaN;
            return true;
        }
        var negative = text[0] == (byte)'-';
        if (text[0] is (byte)'-' or (byte)'+')
            text = text[1..];
        if (!Ascii.EqualsIgnoreCase(text, "inf"u8) && !Ascii.EqualsIgnoreCase(text, "infinity"u8))
            return false;
        value = negative ? double.NegativeInfinity : double.PositiveInfinity;
        return true;
    }
}
