namespace TinyMetrics.Parsing;

/// <summary>
/// The Summary API's <c>metav1.Time</c> strings, read as Go's <c>time.Parse(time.RFC3339, …)</c> reads them:
/// <c>YYYY-MM-DDTHH:MM:SS</c>, optional fractional seconds, then <c>Z</c> or <c>±HH:MM</c>. A kubelet writes
/// whole seconds in UTC; the fraction is accepted because Go's parser accepts it.
/// </summary>
internal static class SummaryTime
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>
    /// False when <paramref name="text"/> is not RFC 3339 (the whole node fails, as upstream's unmarshal does).
    /// Otherwise <paramref name="isZero"/> tells Go's zero time (0001-01-01T00:00:00Z, what a kubelet means by
    /// "none") and <paramref name="unixNs"/> is the instant in Unix ns, saturated beyond the years 1677–2262.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out long unixNs, out bool isZero)
    {
        unixNs = 0;
        isZero = false;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
            return false;
        if (!TryDigits(text.Slice(0, 4), out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        var rest = text[19..];
        long fractionNs = 0;
        if (rest[0] is (byte)'.' or (byte)',')
        {
            var digits = 1;
            for (; digits < rest.Length && rest[digits] - (uint)'0' <= 9; digits++)
            {
                if (digits <= 9)
                    fractionNs = (fractionNs * 10) + (rest[digits] - '0');
            }
            if (digits == 1)
                return false;
            for (var scale = Math.Min(digits - 1, 9); scale < 9; scale++)
                fractionNs *= 10;
            rest = rest[digits..];
        }
        if (!TryOffset(rest, out var offsetSeconds))
            return false;
        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks - (offsetSeconds * TicksPerSecond);
        isZero = ticks == 0 && fractionNs == 0;
        unixNs = ToUnixNs(ticks - EpochTicks, fractionNs);
        return true;
    }

    private static long ToUnixNs(long ticksSinceEpoch, long fractionNs)
    {
        var seconds = ticksSinceEpoch / TicksPerSecond;
        if (seconds > long.MaxValue / 1_000_000_000 - 1)
            return long.MaxValue;
        if (seconds < long.MinValue / 1_000_000_000 + 1)
            return long.MinValue;
        return (seconds * 1_000_000_000) + fractionNs;
    }

    private static bool TryOffset(ReadOnlySpan<byte> s, out long seconds)
    {
        seconds = 0;
        if (s.Length == 1 && s[0] == 'Z')
            return true;
        if (s.Length != 6 || s[0] is not ((byte)'+' or (byte)'-') || s[3] != ':'
            || !TryDigits(s.Slice(1, 2), out var hours) || !TryDigits(s.Slice(4, 2), out var minutes) || hours > 23 || minutes > 59)
            return false;
        seconds = ((hours * 60) + minutes) * 60L * (s[0] == '-' ? -1 : 1);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            if (b - (uint)'0' > 9)
                return false;
            value = (value * 10) + (b - '0');
        }
        return true;
    }
}
