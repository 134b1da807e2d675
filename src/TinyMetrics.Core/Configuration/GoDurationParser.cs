namespace TinyMetrics.Configuration;

/// <summary>
/// Go's <c>time.ParseDuration</c>: a sequence of decimal numbers with optional fraction and a unit
/// (ns, us, µs, μs, ms, s, m, h), optional leading sign, "0" the only unitless value. Errors read as Go's.
/// </summary>
public static class GoDurationParser
{
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
            error = "time: missing unit in duration " + GoText.Quote(text);
            return false;
        }
        var unitText = s[..unitLength];
        s = s[unitLength..];
        var unit = UnitNanoseconds(unitText);
        if (unit == 0)
        {
            error = "time: unknown unit " + GoText.Quote(unitText.ToString()) + " in duration " + GoText.Quote(text);
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
        error = "time: invalid duration " + GoText.Quote(text);
        return false;
    }
}
