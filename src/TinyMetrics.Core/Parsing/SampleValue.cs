using System.Text;
using System.Globalization;

namespace TinyMetrics.Parsing;

/// <remarks>
/// Values follow Go's <c>strconv.ParseFloat</c> as Prometheus' text parser calls it: decimal and exponent
/// forms, <c>NaN</c> and signed <c>Inf</c>/<c>Infinity</c> in any case; hex, <c>_</c> and out-of-range
/// literals are syntax errors that fail the node. A NaN, infinite or negative usage is a valid line but an
/// invalid sample: it converts to 0, so the zero rules of reference §4.6 drop the node point or the pod.
/// </remarks>
internal static class SampleValue
{
    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
    private const double TwoPow64 = 18446744073709551616.0;
    private const double TwoPow63 = 9223372036854775808.0;

    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
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
