using System.Text;

namespace TinyMetrics.Configuration;

/// <summary>
/// Go's <c>time.Duration</c> as text. <see cref="TryParse"/> is <c>time.ParseDuration</c>: a sequence of
/// decimal numbers with optional fraction and a unit (ns, us, µs, μs, ms, s, m, h), optional leading sign,
/// "0" the only unitless value; errors read as Go's. <see cref="Format(long, Span{byte})"/> is
/// <c>Duration.String()</c>, as flag defaults, messages and metav1.Duration (the metrics "window") print it:
/// "15s", "1m0s", "500ms", "1µs" (U+00B5), "0s", "10.58086272s", "-1h2m3s".
/// </summary>
public static class GoDuration
{
    /// <summary>Longest UTF-8 output: "-2562047h47m16.854775808s".</summary>
    public const int MaxLength = 32;

    private const ulong Limit = 1UL << 63;

    /// <summary>Parses into a <see cref="TimeSpan"/>, truncating below its 100 ns tick.</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string error)
    {
        var ok = TryParseNanoseconds(text, out var nanoseconds, out error);
        duration = ok ? TimeSpan.FromTicks(nanoseconds / TimeSpan.NanosecondsPerTick) : default;
        return ok;
    }

    public static bool TryParseNanoseconds(string text, out long nanoseconds, out string error)
    {
        nanoseconds = 0;
        error = "";
        var s = text.AsSpan();
        var negative = false;
        if (!s.IsEmpty && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s is "0")
            return true;
        if (s.IsEmpty)
            return Invalid(text, out error);

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!TryParseComponent(ref s, text, out var component, out error))
                return false;
            total += component;
            if (total > Limit)
                return Invalid(text, out error);
        }
        if (!negative && total > long.MaxValue)
            return Invalid(text, out error);
        nanoseconds = negative ? (long)(0UL - total) : (long)total;
        return true;
    }

    // One "<number>[.<fraction>]<unit>" group, consumed from the front of s.
    private static bool TryParseComponent(ref ReadOnlySpan<char> s, string text, out ulong value, out string error)
    {
        value = 0;
        error = "";
        if (s[0] != '.' && !char.IsAsciiDigit(s[0]))
            return Invalid(text, out error);
        if (!TryParseNumber(ref s, out var whole, out var fraction, out var scale))
            return Invalid(text, out error);

        var unitLength = 0;
        while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            unitLength++;
        if (unitLength == 0)
        {
            error = "time: missing unit in duration " + Quote(text);
            return false;
        }
        var unitText = s[..unitLength];
        s = s[unitLength..];
        var unit = UnitNanoseconds(unitText);
        if (unit == 0)
        {
            error = "time: unknown unit " + Quote(unitText.ToString()) + " in duration " + Quote(text);
            return false;
        }
        if (whole > Limit / unit)
            return Invalid(text, out error);
        value = whole * unit;
        if (fraction > 0)
            value += (ulong)(fraction * (unit / scale));
        return value <= Limit || Invalid(text, out error);
    }

    // "12", "12.5", ".5" or "12."; false when there is no digit at all or the whole part overflows.
    private static bool TryParseNumber(ref ReadOnlySpan<char> s, out ulong whole, out ulong fraction, out double scale)
    {
        fraction = 0;
        scale = 1;
        var before = s.Length;
        if (!TryLeadingInt(ref s, out whole))
            return false;
        var hasWhole = before != s.Length;
        var hasFraction = false;
        if (!s.IsEmpty && s[0] == '.')
        {
            s = s[1..];
            before = s.Length;
            LeadingFraction(ref s, out fraction, out scale);
            hasFraction = before != s.Length;
        }
        return hasWhole || hasFraction;
    }

    private static bool TryLeadingInt(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > Limit / 10)
                return false;
            value = (value * 10) + (ulong)(s[i] - '0');
            if (value > Limit)
                return false;
        }
        s = s[i..];
        return true;
    }

    // Digits past what fits are consumed but ignored, as Go does.
    private static void LeadingFraction(ref ReadOnlySpan<char> s, out ulong value, out double scale)
    {
        value = 0;
        scale = 1;
        var overflow = false;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow)
                continue;
            if (value > (Limit - 1) / 10)
            {
                overflow = true;
                continue;
            }
            var next = (value * 10) + (ulong)(s[i] - '0');
            if (next > Limit)
            {
                overflow = true;
                continue;
            }
            value = next;
            scale *= 10;
        }
        s = s[i..];
    }

    private static ulong UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "\u00b5s" or "\u03bcs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };

    private static bool Invalid(string text, out string error)
    {
        error = "time: invalid duration " + Quote(text);
        return false;
    }

    // The time package's own quote, not strconv's: printable ASCII as is (quote and backslash escaped), every
    // UTF-8 byte of any other character as \xNN, so "µ" reads "\xc2\xb5" in the message.
    private static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= ' ' and < (char)0x80)
            {
                if (c is '"' or '\\')
                    builder.Append('\\');
                builder.Append(c);
                continue;
            }
            var width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                width = 2;
            var written = Encoding.UTF8.GetBytes(text.AsSpan(i, width), utf8);
            foreach (var b in utf8[..written])
                builder.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            i += width - 1;
        }
        return builder.Append('"').ToString();
    }

    /// <summary>Go's text for <paramref name="duration"/> ("1m0s", "1.5s", "500ms", "0s").</summary>
    public static string Format(TimeSpan duration)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        return Encoding.UTF8.GetString(text[..Format(duration.Ticks * TimeSpan.NanosecondsPerTick, text)]);
    }

    /// <summary>Writes Go's text for <paramref name="nanoseconds"/> as UTF-8; returns the byte count (at most <see cref="MaxLength"/>).</summary>
    public static int Format(long nanoseconds, Span<byte> destination)
    {
        Span<byte> buf = stackalloc byte[MaxLength];
        var w = Render(nanoseconds, buf);
        buf[w..].CopyTo(destination);
        return MaxLength - w;
    }

    // Mirrors Go's Duration.format: fills buf from the right and returns the start index.
    private static int Render(long nanoseconds, Span<byte> buf)
    {
        var w = buf.Length;
        var neg = nanoseconds < 0;
        var u = neg ? unchecked(0UL - (ulong)nanoseconds) : (ulong)nanoseconds;
        buf[--w] = (byte)'s';
        if (u == 0)
        {
            buf[--w] = (byte)'0';
            return w;
        }
        w = u < 1_000_000_000UL ? RenderSubSecond(buf, w, u) : RenderSecondsAndUp(buf, w, u);
        if (neg)
            buf[--w] = (byte)'-';
        return w;
    }

    // "999ns", "1.5µs", "500ms": the unit before the trailing 's' already written.
    private static int RenderSubSecond(Span<byte> buf, int w, ulong u)
    {
        int prec;
        if (u < 1_000UL)
        {
            prec = 0;
            buf[--w] = (byte)'n';
        }
        else if (u < 1_000_000UL)
        {
            prec = 3;
            buf[--w] = 0xB5; // "µ" is C2 B5 in UTF-8
            buf[--w] = 0xC2;
        }
        else
        {
            prec = 6;
            buf[--w] = (byte)'m';
        }
        w = FormatFraction(buf, w, ref u, prec);
        return FormatInt(buf, w, u);
    }

    // "15.012s", "1m30s", "1h2m3s": seconds before the trailing 's', then minutes and hours while any remain.
    private static int RenderSecondsAndUp(Span<byte> buf, int w, ulong u)
    {
        w = FormatFraction(buf, w, ref u, 9);
        w = FormatInt(buf, w, u % 60);
        u /= 60;
        if (u == 0)
            return w;
        buf[--w] = (byte)'m';
        w = FormatInt(buf, w, u % 60);
        u /= 60;
        if (u == 0)
            return w;
        buf[--w] = (byte)'h';
        return FormatInt(buf, w, u);
    }

    // Go's fmtFrac: trailing zeros, and the point itself when all digits are zero, are omitted.
    private static int FormatFraction(Span<byte> buf, int w, ref ulong v, int prec)
    {
        var print = false;
        for (var i = 0; i < prec; i++)
        {
            var digit = v % 10;
            print = print || digit != 0;
            if (print)
                buf[--w] = (byte)('0' + digit);
            v /= 10;
        }
        if (print)
            buf[--w] = (byte)'.';
        return w;
    }

    private static int FormatInt(Span<byte> buf, int w, ulong v)
    {
        if (v == 0)
        {
            buf[--w] = (byte)'0';
            return w;
        }
        while (v > 0)
        {
            buf[--w] = (byte)('0' + v % 10);
            v /= 10;
        }
        return w;
    }
}
