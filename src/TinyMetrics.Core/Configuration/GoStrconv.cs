using System.Globalization;
using System.Text;

namespace TinyMetrics.Configuration;

// Go's strconv as pflag uses it: the parsers with their error texts ("strconv.ParseInt: parsing "x": invalid
// syntax"), and Quote, which every flag message and help default is built with so they read like metrics-server's.
internal static class GoStrconv
{
    private const int SyntaxError = 1;
    private const int RangeError = 2;

    // Go's strconv.Quote (%q) for printable text: quotes and backslashes escaped, control characters as escapes.
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                _ => AppendEscaped(builder, c),
            };
        }
        return builder.Append('"').ToString();
    }

    // Go's strconv.QuoteRune (%q of a byte or rune), as pflag names an unknown shorthand: '\'', '\t', 'x'.
    public static string QuoteRune(char c) => c == '\'' ? "'\\''" : c == '\\' ? "'\\\\'" : AppendEscaped(new StringBuilder("'"), c).Append('\'').ToString();

    // strconv's named escapes, \xNN for the other controls, the character itself otherwise.
    private static StringBuilder AppendEscaped(StringBuilder builder, char c) => c switch
    {
        '\a' => builder.Append("\\a"),
        '\b' => builder.Append("\\b"),
        '\f' => builder.Append("\\f"),
        '\n' => builder.Append("\\n"),
        '\r' => builder.Append("\\r"),
        '\t' => builder.Append("\\t"),
        '\v' => builder.Append("\\v"),
        < ' ' or '\x7f' => builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
        _ => builder.Append(c),
    };

    public static bool TryParseBool(string text, out bool value, out string error)
    {
        error = "";
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                error = Syntax("ParseBool", text);
                return false;
        }
    }

    // strconv.ParseInt(s, 0, bits): sign, 0x/0o/0b/0 prefixes, '_' separators; bits is 32 or 64.
    public static bool TryParseInt(string text, int bits, bool allowPrefixes, out long value, out string error)
    {
        value = 0;
        error = "";
        var s = text.AsSpan();
        var negative = false;
        if (!s.IsEmpty && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.IsEmpty)
            return Fail(Syntax("ParseInt", text), out error);

        var radix = allowPrefixes ? Radix(ref s) : 10;
        // ParseInt reads the digits with ParseUint, whose limit is 2^bits − 1, and only then applies the signed
        // cutoff: "4294967295x" is a syntax error at 32 bits, not a range error.
        var cutoff = 1UL << (bits - 1);
        var status = Accumulate(s, radix, allowPrefixes, bits == 32 ? uint.MaxValue : ulong.MaxValue, out var magnitude, out var underscores);
        if (status == 0 && underscores && !UnderscoreOk(text))
            status = SyntaxError;
        if (status == 0 && (negative ? magnitude > cutoff : magnitude >= cutoff))
            status = RangeError;
        if (status != 0)
            return Fail(status == SyntaxError ? Syntax("ParseInt", text) : Range("ParseInt", text), out error);
        value = negative ? (long)(0UL - magnitude) : (long)magnitude;
        return true;
    }

    // Folds the digits into a magnitude; 0 on success, else SyntaxError or RangeError (whichever Go meets first).
    private static int Accumulate(ReadOnlySpan<char> digits, int radix, bool allowUnderscores, ulong limit, out ulong magnitude, out bool underscores)
    {
        magnitude = 0;
        underscores = false;
        foreach (var c in digits)
        {
            if (c == '_' && allowUnderscores)
            {
                underscores = true;
                continue;
            }
            var digit = DigitValue(c);
            if (digit >= radix)
                return SyntaxError;
            if (magnitude > limit / (ulong)radix)
                return RangeError;
            var next = (magnitude * (ulong)radix) + (ulong)digit;
            // At a limit of 2^64 − 1 the addition itself can wrap.
            if (next < magnitude || next > limit)
                return RangeError;
            magnitude = next;
        }
        return 0;
    }

    public static bool TryParseFloat(string text, out double value, out string error)
    {
        error = "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return true;
        return Fail(Syntax("ParseFloat", text), out error);
    }

    private static int Radix(ref ReadOnlySpan<char> s)
    {
        if (s[0] != '0')
            return 10;
        if (s.Length >= 3)
        {
            var radix = char.ToLowerInvariant(s[1]) switch { 'b' => 2, 'o' => 8, 'x' => 16, _ => 0 };
            if (radix != 0)
            {
                s = s[2..];
                return radix;
            }
        }
        s = s[1..];
        return 8;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => int.MaxValue,
    };

    // Go accepts '_' only between digits, or between a base prefix and a digit.
    private static bool UnderscoreOk(string text)
    {
        var s = text.AsSpan();
        if (!s.IsEmpty && s[0] is '+' or '-')
            s = s[1..];
        var saw = '^';
        var i = 0;
        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && char.ToLowerInvariant(s[1]) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = char.ToLowerInvariant(s[1]) == 'x';
        }
        for (; i < s.Length; i++)
        {
            if (char.IsAsciiDigit(s[i]) || (hex && char.IsAsciiHexDigit(s[i])))
                saw = '0';
            else if (s[i] == '_' && saw != '0')
                return false;
            else if (s[i] == '_')
                saw = '_';
            else if (saw == '_')
                return false;
            else
                saw = '!';
        }
        return saw != '_';
    }

    private static string Syntax(string function, string text) =>
        "strconv." + function + ": parsing " + Quote(text) + ": invalid syntax";

    private static string Range(string function, string text) =>
        "strconv." + function + ": parsing " + Quote(text) + ": value out of range";

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
