using System.Globalization;
using System.Text;

namespace TinyMetrics.Configuration.Tests;

/// <summary>
/// A second implementation of the command-line stage, written for the tests from spf13/pflag's <c>parseArgs</c>,
/// Go's <c>strconv.ParseBool</c>, <c>strconv.ParseInt</c>, <c>strconv.Quote</c> and <c>time.ParseDuration</c>,
/// sharing no code with FlagParser: given the flag table's names and kinds, it predicts the first error line
/// pflag prints, or null when every flag parses (validation and positionals come later). Value kinds it does not
/// model (float, IP, CSV lists, cert pairs) are left out of the generated command lines.
/// </summary>
internal static class ReferencePflag
{
    public static readonly FlagKind[] ModelledKinds = [FlagKind.Bool, FlagKind.Int, FlagKind.Level, FlagKind.Duration, FlagKind.String, FlagKind.Text];

    public static string? FirstError(IReadOnlyList<string> args, Func<string, Flag?> byName, Func<char, Flag?> byShorthand)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var s = args[i];
            if (s.Length < 2 || s[0] != '-')
                continue;
            if (s == "--")
                return null;
            string? error;
            if (s[1] == '-')
            {
                var name = s[2..];
                if (name.Length == 0 || name[0] is '-' or '=')
                    return "bad flag syntax: " + s;
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                var bare = eq < 0 ? name : name[..eq];
                // cliflag.WordSepNormalizeFunc: "_" reads as "-".
                var flag = byName(bare.Replace('_', '-'));
                if (flag is null)
                    return "unknown flag: --" + bare;
                string value;
                if (eq >= 0)
                    value = name[(eq + 1)..];
                else if (flag.Kind == FlagKind.Bool)
                    value = "true";
                else if (i + 1 < args.Count)
                    value = args[++i];
                else
                    return "flag needs an argument: " + s;
                error = Set(flag, value);
            }
            else
            {
                error = Shorthands(s[1..], args, ref i, byShorthand);
            }
            if (error is not null)
                return error;
        }
        return null;
    }

    private static string? Shorthands(string shorthands, IReadOnlyList<string> args, ref int i, Func<char, Flag?> byShorthand)
    {
        while (shorthands.Length > 0)
        {
            // pflag skips what Go's testing package passes ("-test.v", "-test.run=…"), wherever the run reaches it.
            if (shorthands.StartsWith("test.", StringComparison.Ordinal))
                return null;
            var c = shorthands[0];
            var flag = byShorthand(c);
            if (flag is null)
                return "unknown shorthand flag: " + QuoteRune(c) + " in -" + shorthands;
            var rest = shorthands[1..];
            string value;
            if (shorthands.Length > 2 && shorthands[1] == '=')
            {
                value = shorthands[2..];
                rest = "";
            }
            else if (flag.Kind == FlagKind.Bool)
                value = "true";
            else if (shorthands.Length > 1)
            {
                value = shorthands[1..];
                rest = "";
            }
            else if (i + 1 < args.Count)
                value = args[++i];
            else
                return "flag needs an argument: " + QuoteRune(c) + " in -" + shorthands;
            if (Set(flag, value) is { } error)
                return error;
            shorthands = rest;
        }
        return null;
    }

    private static string? Set(Flag flag, string value)
    {
        var error = flag.Kind switch
        {
            FlagKind.Bool => value is "1" or "t" or "T" or "TRUE" or "true" or "True" or "0" or "f" or "F" or "FALSE" or "false" or "False"
                ? null : "strconv.ParseBool: parsing " + Quote(value) + ": invalid syntax",
            FlagKind.Int => ParseInt(value, 32, base0: true),
            FlagKind.Level => ParseInt(value, 32, base0: false),
            FlagKind.Duration => ParseDuration(value),
            _ => null,
        };
        if (error is null)
            return null;
        var display = flag.Shorthand == '\0' ? "--" + flag.Name : "-" + flag.Shorthand + ", --" + flag.Name;
        return "invalid argument " + Quote(value) + " for " + Quote(display) + " flag: " + error;
    }

    // strconv.ParseInt(s, base0 ? 0 : 10, bits): ParseUint with its 2^bits − 1 limit, then the signed cutoff.
    public static string? ParseInt(string s0, int bits, bool base0)
    {
        string Syntax() => "strconv.ParseInt: parsing " + Quote(s0) + ": invalid syntax";
        string Range() => "strconv.ParseInt: parsing " + Quote(s0) + ": value out of range";
        if (s0.Length == 0)
            return Syntax();
        var neg = s0[0] == '-';
        var s = s0[0] is '+' or '-' ? s0[1..] : s0;
        if (s.Length == 0)
            return Syntax();
        var unsigned = s;
        ulong radix = 10;
        if (base0 && s[0] == '0')
        {
            radix = s.Length >= 3 ? (s[1] | 0x20) switch { 'b' => 2UL, 'o' => 8UL, 'x' => 16UL, _ => 0UL } : 0UL;
            s = radix == 0 ? s[1..] : s[2..];
            radix = radix == 0 ? 8 : radix;
        }
        var maxVal = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        var cutoff = maxVal / radix + 1;
        ulong n = 0;
        var underscores = false;
        foreach (var c in s)
        {
            if (c == '_' && base0)
            {
                underscores = true;
                continue;
            }
            ulong d;
            if (c is >= '0' and <= '9')
                d = (ulong)(c - '0');
            else if ((c | 0x20) is >= 'a' and <= 'z' && c < 0x80)
                d = (ulong)((c | 0x20) - 'a' + 10);
            else
                return Syntax();
            if (d >= radix)
                return Syntax();
            if (n >= cutoff)
                return Range();
            n *= radix;
            var n1 = n + d;
            if (n1 < n || n1 > maxVal)
                return Range();
            n = n1;
        }
        if (underscores && !UnderscoreOk(unsigned))
            return Syntax();
        var signedCutoff = 1UL << (bits - 1);
        return (!neg && n >= signedCutoff) || (neg && n > signedCutoff) ? Range() : null;
    }

    private static bool UnderscoreOk(string s)
    {
        var saw = '^';
        var i = 0;
        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && (s[1] | 0x20) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = (s[1] | 0x20) == 'x';
        }
        for (; i < s.Length; i++)
        {
            if (s[i] is >= '0' and <= '9' || (hex && (s[i] | 0x20) is >= 'a' and <= 'f'))
            {
                saw = '0';
                continue;
            }
            if (s[i] == '_')
            {
                if (saw != '0')
                    return false;
                saw = '_';
                continue;
            }
            if (saw == '_')
                return false;
            saw = '!';
        }
        return saw != '_';
    }

    // time.ParseDuration over the UTF-8 bytes, as Go reads the string; its errors quote with time's own quote.
    public static string? ParseDuration(string text)
    {
        var orig = Encoding.UTF8.GetBytes(text);
        var invalid = "time: invalid duration " + TimeQuote(orig);
        var s = orig.AsSpan();
        var neg = false;
        if (s.Length > 0 && s[0] is (byte)'-' or (byte)'+')
        {
            neg = s[0] == '-';
            s = s[1..];
        }
        if (s is [(byte)'0'])
            return null;
        if (s.IsEmpty)
            return invalid;
        const ulong limit = 1UL << 63;
        ulong d = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || s[0] is >= (byte)'0' and <= (byte)'9'))
                return invalid;
            var before = s.Length;
            ulong v = 0;
            var i = 0;
            for (; i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9'; i++)
            {
                if (v > limit / 10)
                    return invalid;
                v = v * 10 + (ulong)(s[i] - '0');
                if (v > limit)
                    return invalid;
            }
            s = s[i..];
            var pre = before != s.Length;
            ulong f = 0;
            double scale = 1;
            var post = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var overflow = false;
                for (i = 0; i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9'; i++)
                {
                    if (overflow)
                        continue;
                    if (f > (limit - 1) / 10)
                    {
                        overflow = true;
                        continue;
                    }
                    var y = f * 10 + (ulong)(s[i] - '0');
                    if (y > limit)
                    {
                        overflow = true;
                        continue;
                    }
                    f = y;
                    scale *= 10;
                }
                post = i > 0;
                s = s[i..];
            }
            if (!pre && !post)
                return invalid;
            for (i = 0; i < s.Length && !(s[i] == '.' || s[i] is >= (byte)'0' and <= (byte)'9'); i++)
            {
            }
            if (i == 0)
                return "time: missing unit in duration " + TimeQuote(orig);
            var unitText = Encoding.UTF8.GetString(s[..i]);
            var unit = unitText switch
            {
                "ns" => 1UL, "us" or "\u00b5s" or "\u03bcs" => 1_000UL, "ms" => 1_000_000UL, "s" => 1_000_000_000UL,
                "m" => 60_000_000_000UL, "h" => 3_600_000_000_000UL, _ => 0UL,
            };
            if (unit == 0)
                return "time: unknown unit " + TimeQuote(s[..i].ToArray()) + " in duration " + TimeQuote(orig);
            s = s[i..];
            if (v > limit / unit)
                return invalid;
            v *= unit;
            if (f > 0)
            {
                v += (ulong)(f * (unit / scale));
                if (v > limit)
                    return invalid;
            }
            d += v;
            if (d > limit)
                return invalid;
        }
        return !neg && d > limit - 1 ? invalid : null;
    }

    // time's quote: printable ASCII as is (quote and backslash escaped), every byte of any other rune as \xNN.
    private static string TimeQuote(byte[] bytes)
    {
        var text = new StringBuilder("\"");
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b is >= 0x20 and < 0x80)
            {
                if (b is (byte)'"' or (byte)'\\')
                    text.Append('\\');
                text.Append((char)b);
                i++;
                continue;
            }
            var status = System.Text.Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out var width);
            if (status != System.Buffers.OperationStatus.Done)
                width = 1;
            for (var j = 0; j < width; j++)
                text.Append("\\x").Append(bytes[i + j].ToString("x2", CultureInfo.InvariantCulture));
            i += width;
        }
        return text.Append('"').ToString();
    }

    // strconv.Quote for the ASCII and Latin/Greek text the generators use: the named escapes, \xNN for other controls.
    public static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        foreach (var c in s)
            text.Append(Escape(c, '"'));
        return text.Append('"').ToString();
    }

    // strconv.QuoteRune (%q of a byte or rune).
    public static string QuoteRune(char c) => "'" + Escape(c, '\'') + "'";

    private static string Escape(char c, char quote) => c switch
    {
        '\a' => "\\a", '\b' => "\\b", '\f' => "\\f", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '\v' => "\\v", '\\' => "\\\\",
        _ when c == quote => "\\" + c,
        < ' ' or '\x7f' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
        _ => c.ToString(),
    };
}
