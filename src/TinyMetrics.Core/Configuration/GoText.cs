using System.Globalization;
using System.Text;

namespace TinyMetrics.Configuration;

// Go's text renderings that flag messages and help are built from, so they read like metrics-server's.
internal static class GoText
{
    // Go's %q for printable text: quotes and backslashes escaped, control characters as escapes.
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                < ' ' or '\x7f' => builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }
        return builder.Append('"').ToString();
    }

    // Go's time.Duration.String ("1m0s", "1.5s", "500ms", "0s"), used for defaults and messages.
    public static string Duration(TimeSpan duration)
    {
        var nanoseconds = duration.Ticks * TimeSpan.NanosecondsPerTick;
        var negative = nanoseconds < 0;
        var u = negative ? 0UL - (ulong)nanoseconds : (ulong)nanoseconds;
        if (u == 0)
            return "0s";
        var text = u < 1_000_000_000 ? SubSecond(u) : SecondsAndUp(u);
        return negative ? "-" + text : text;
    }

    private static string SubSecond(ulong u)
    {
        var (precision, unit) = u switch
        {
            < 1_000 => (0, "ns"),
            < 1_000_000 => (3, "\u00b5s"),
            _ => (6, "ms"),
        };
        var fraction = Fraction(ref u, precision);
        return u.ToString(CultureInfo.InvariantCulture) + fraction + unit;
    }

    private static string SecondsAndUp(ulong u)
    {
        var fraction = Fraction(ref u, 9);
        var text = (u % 60).ToString(CultureInfo.InvariantCulture) + fraction + "s";
        u /= 60;
        if (u == 0)
            return text;
        text = (u % 60).ToString(CultureInfo.InvariantCulture) + "m" + text;
        u /= 60;
        return u == 0 ? text : u.ToString(CultureInfo.InvariantCulture) + "h" + text;
    }

    // Takes the low `precision` digits off u as ".ddd" without trailing zeros ("" if all zero).
    private static string Fraction(ref ulong u, int precision)
    {
        Span<char> digits = stackalloc char[precision + 1];
        var start = digits.Length;
        var print = false;
        for (var i = 0; i < precision; i++)
        {
            var digit = u % 10;
            print |= digit != 0;
            if (print)
                digits[--start] = (char)('0' + digit);
            u /= 10;
        }
        if (!print)
            return "";
        digits[--start] = '.';
        return digits[start..].ToString();
    }
}
