using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace TinyMetrics.Selectors;

/// <summary>
/// A parsed <c>fieldSelector</c> over the only fields the metrics kinds support (upstream's
/// <c>DefaultMetaV1FieldSelectorConversion</c>): <c>metadata.name</c> and <c>metadata.namespace</c>,
/// with <c>=</c>, <c>==</c> and <c>!=</c>, comma = AND.
/// </summary>
public sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private readonly Term[] _terms;

    private FieldSelector(Term[] terms) => _terms = terms;

    private readonly record struct Term(bool IsNamespace, bool Negated, string Value);

    public bool IsEmpty => _terms.Length == 0;

    /// <summary>The namespace a <c>metadata.namespace=X</c> term pins the result to, or null.</summary>
    internal string? RequiredNamespace
    {
        get
        {
            foreach (var term in _terms)
            {
                if (term.IsNamespace && !term.Negated)
                    return term.Value;
            }
            return null;
        }
    }

    public static bool TryParse(string? text, out FieldSelector selector, [NotNullWhen(false)] out string? error)
    {
        selector = Everything;
        error = null;
        if (string.IsNullOrEmpty(text))
            return true;
        var parts = SplitTerms(text);
        parts.Sort(StringComparer.Ordinal);
        var terms = new List<Term>(parts.Count);
        foreach (var part in parts)
        {
            if (part.Length == 0)
                continue;
            error = ParseTerm(text, part, terms);
            if (error is not null)
                return false;
        }
        selector = terms.Count == 0 ? Everything : new FieldSelector([.. terms]);
        return true;
    }

    /// <summary>Matches an object; a cluster-scoped one passes a null namespace, which compares as "".</summary>
    public bool Matches(string name, string? ns)
    {
        foreach (var term in _terms)
        {
            var actual = term.IsNamespace ? ns ?? "" : name;
            if (string.Equals(actual, term.Value, StringComparison.Ordinal) == term.Negated)
                return false;
        }
        return true;
    }

    private static string? ParseTerm(string selector, string part, List<Term> terms)
    {
        var (field, negated, rawValue) = SplitTerm(part);
        if (field is null)
            return $"invalid selector: '{selector}'; can't understand '{part}'";
        var error = Unescape(rawValue, out var value);
        if (error is not null)
            return error;
        var isNamespace = field == "metadata.namespace";
        if (!isNamespace && field != "metadata.name")
            return $"\"{field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"";
        terms.Add(new Term(isNamespace, negated, value));
        return null;
    }

    // First operator from the left wins, trying "!=", "==", "=" at each position (fields.splitTerm).
    private static (string? Field, bool Negated, string Value) SplitTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            var rest = term.AsSpan(i);
            if (rest.StartsWith("!=", StringComparison.Ordinal))
                return (term[..i], true, term[(i + 2)..]);
            if (rest.StartsWith("==", StringComparison.Ordinal))
                return (term[..i], false, term[(i + 2)..]);
            if (rest[0] == '=')
                return (term[..i], false, term[(i + 1)..]);
        }
        return (null, false, "");
    }

    // Splits on commas not escaped with a backslash; escapes stay for Unescape.
    private static List<string> SplitTerms(string text)
    {
        var parts = new List<string>();
        var start = 0;
        var escaped = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (escaped)
                escaped = false;
            else if (text[i] == '\\')
                escaped = true;
            else if (text[i] == ',')
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }

    private static string? Unescape(string raw, out string value)
    {
        value = raw;
        if (raw.AsSpan().IndexOfAny('\\', ',', '=') < 0)
            return null;
        var builder = new StringBuilder(raw.Length);
        var escaped = false;
        foreach (var c in raw)
        {
            if (escaped)
            {
                if (c is not ('\\' or ',' or '='))
                    return $"invalid field selector: invalid escape sequence: \\{c}";
                builder.Append(c);
                escaped = false;
            }
            else if (c == '\\')
                escaped = true;
            else if (c is ',' or '=')
                // Go prints the rune with %v, i.e. as its number.
                return $"invalid field selector: unescaped character in value: {(int)c}";
            else
                builder.Append(c);
        }
        if (escaped)
            return "invalid field selector: invalid escape sequence: \\";
        value = builder.ToString();
        return null;
    }
}
