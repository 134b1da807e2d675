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

    // yaml.v2's float pattern: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    private static bool IsFloat(string s) =>
        System.Text.RegularExpressions.Regex.IsMatch(s, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$");

    private static bool IsTimestamp(string s) =>
        System.Text.RegularExpressions.Regex.IsMatch(s, @"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$");

    private static bool IsBase60(string s) =>
        System.Text.RegularExpressions.Regex.IsMatch(s, @"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$");
}
