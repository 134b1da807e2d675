namespace TinyMetrics.Selectors;

/// <summary>
/// apimachinery's <c>IsQualifiedName</c> and <c>IsValidLabelValue</c>, with their messages, so a bad
/// selector is rejected with the text kube-apiserver would give.
/// </summary>
internal static class LabelValidation
{
    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end " +
        "with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
        @"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end " +
        "with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is " +
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    /// <summary>Null when valid; otherwise the problems joined with "; ".</summary>
    public static string? CheckKey(string key)
    {
        var errors = new List<string>(2);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = key;
        if (slash >= 0)
        {
            if (key.IndexOf('/', slash + 1) >= 0)
                return "a qualified name " + QualifiedNameMessage + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
            var prefix = key[..slash];
            name = key[(slash + 1)..];
            if (prefix.Length == 0)
                errors.Add("prefix part must be non-empty");
            else
                CheckSubdomain(prefix, errors);
        }
        if (name.Length == 0)
            errors.Add("name part must be non-empty");
        else if (name.Length > 63)
            errors.Add("name part must be no more than 63 characters");
        if (!IsQualifiedNamePart(name))
            errors.Add("name part " + QualifiedNameMessage);
        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    public static string? CheckValue(string value)
    {
        var tooLong = value.Length > 63;
        var valid = value.Length == 0 || IsQualifiedNamePart(value);
        if (!tooLong && valid)
            return null;
        if (tooLong && !valid)
            return "must be no more than 63 characters; " + LabelValueMessage;
        return tooLong ? "must be no more than 63 characters" : LabelValueMessage;
    }

    private static void CheckSubdomain(string prefix, List<string> errors)
    {
        if (prefix.Length > 253)
            errors.Add("prefix part must be no more than 253 characters");
        foreach (var label in prefix.Split('.'))
        {
            if (!IsDns1123Label(label))
            {
                errors.Add("prefix part " + SubdomainMessage);
                return;
            }
        }
    }

    private static bool IsQualifiedNamePart(string s)
    {
        if (s.Length == 0 || !char.IsAsciiLetterOrDigit(s[0]) || !char.IsAsciiLetterOrDigit(s[^1]))
            return false;
        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
                return false;
        }
        return true;
    }

    private static bool IsDns1123Label(string s)
    {
        if (s.Length == 0 || !IsLowerAlnum(s[0]) || !IsLowerAlnum(s[^1]))
            return false;
        foreach (var c in s)
        {
            if (!IsLowerAlnum(c) && c != '-')
                return false;
        }
        return true;
    }

    private static bool IsLowerAlnum(char c) => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c);
}
