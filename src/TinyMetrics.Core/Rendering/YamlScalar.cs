using System.Globalization;

namespace TinyMetrics.Rendering;

/// <summary>goyaml.v2's scalar decisions: which strings resolve to another tag, and when plain style is allowed.</summary>
internal static class YamlScalar
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<",
    };

    /// <summary>True when the plain scalar would read back as null, bool, a number, a timestamp or a base-60 float.</summary>
    public static bool ResolvesToNonString(string s)
    {
        if (Reserved.Contains(s))
            return true;
        if (s.Length == 0 || !(char.IsAsciiDigit(s[0]) || s[0] is '+' or '-' or '.'))
            return false;
        var plain = s.Replace("_", "", StringComparison.Ordinal);
        return IsInt(plain) || IsFloat(plain) || IsTimestamp(s) || IsBase60(s);
    }

    public static bool NeedsDoubleQuotes(string s)
    {
        foreach (var c in s)
        {
            if (c < ' ' || c == '\u007f')
                return true;
        }
        return false;
    }

    /// <summary>The emitter's block_plain_allowed for the single-line strings Kubernetes objects hold.</summary>
    public static bool PlainAllowed(string s)
    {
        if (s[0] is ' ' || s[^1] is ' ')
            return false;
        if (s[0] is '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`')
            return false;
        if (s[0] is '-' or '?' or ':' && (s.Length == 1 || s[1] == ' '))
            return false;
        if (s[^1] == ':')
            return false;
        return !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal);
    }

    private static bool IsInt(string s)
    {
        var body = s.TrimStart('+', '-');
        if (body.Length == 0 || s.Length - body.Length > 1)
            return false;
        if (body.StartsWith("0x", StringComparison.Ordinal))
            return body.Length > 2 && long.TryParse(body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _);
        if (body.StartsWith("0b", StringComparison.Ordinal) || body.StartsWith("0o", StringComparison.Ordinal))
            return body.Length > 2 && AllDigits(body[2..]);
        return AllDigits(body);
    }

    private static bool AllDigits(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    // The three patterns below are yaml.v2's resolver regular expressions, matched by hand: each is deterministic
    // (a digit run always ends at a literal), so a greedy scan decides as the regex does, without a regex cache
    // lookup and interpreter run for every string a YAML answer writes.

    // [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    internal static bool IsFloat(string s)
    {
        var i = Sign(s, 0);
        if (i < s.Length && s[i] == '.')
        {
            if (Digits(s, ref i, 1 + i, int.MaxValue) == 0)
                return false;
        }
        else
        {
            if (Digits(s, ref i, i, int.MaxValue) == 0)
                return false;
            if (i < s.Length && s[i] == '.')
                Digits(s, ref i, i + 1, int.MaxValue);
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            var exponent = Sign(s, i + 1);
            if (Digits(s, ref i, exponent, int.MaxValue) == 0)
                return false;
        }
        return i == s.Length;
    }

    // [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?
    internal static bool IsTimestamp(string s)
    {
        var i = 0;
        if (Digits(s, ref i, 0, 4) != 4 || !Literal(s, ref i, '-') || Digits(s, ref i, i, 2) == 0 || !Literal(s, ref i, '-') || Digits(s, ref i, i, 2) == 0)
            return false;
        if (i == s.Length)
            return true;
        if (s[i] is not ('T' or 't' or ' '))
            return false;
        if (Digits(s, ref i, i + 1, 2) == 0 || !Literal(s, ref i, ':') || Digits(s, ref i, i, 2) == 0 || !Literal(s, ref i, ':') || Digits(s, ref i, i, 2) == 0)
            return false;
        if (i < s.Length && s[i] == '.' && Digits(s, ref i, i + 1, int.MaxValue) == 0)
            return false;
        if (i < s.Length && s[i] == 'Z')
            i++;
        else if (i < s.Length && s[i] is '+' or '-')
        {
            if (Digits(s, ref i, i + 1, 2) != 2 || !Literal(s, ref i, ':') || Digits(s, ref i, i, 2) != 2)
                return false;
        }
        return i == s.Length;
    }

    // [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
    internal static bool IsBase60(string s)
    {
        var i = Sign(s, 0);
        if (i >= s.Length || !char.IsAsciiDigit(s[i]))
            return false;
        i++;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '_'))
            i++;
        var groups = 0;
        while (i < s.Length && s[i] == ':')
        {
            var first = i + 1;
            if (first >= s.Length || !char.IsAsciiDigit(s[first]))
                return false;
            i = first + 1 < s.Length && s[first] <= '5' && char.IsAsciiDigit(s[first + 1]) ? first + 2 : first + 1;
            groups++;
        }
        if (groups == 0)
            return false;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '_'))
                i++;
        }
        return i == s.Length;
    }

    private static int Sign(string s, int i) => i < s.Length && s[i] is '+' or '-' ? i + 1 : i;

    private static bool Literal(string s, ref int i, char c)
    {
        if (i >= s.Length || s[i] != c)
            return false;
        i++;
        return true;
    }

    /// <summary>Reads at most <paramref name="max"/> digits from <paramref name="from"/>; leaves i after them and returns how many.</summary>
    private static int Digits(string s, ref int i, int from, int max)
    {
        var end = from;
        while (end < s.Length && end - from < max && char.IsAsciiDigit(s[end]))
            end++;
        i = end;
        return end - from;
    }
}
