using TinyMetrics.Discovery;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// The Kubernetes label selector string form: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, joined by commas (all must hold).
/// </summary>
internal sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private readonly Requirement[] _requirements;

    private LabelSelector(Requirement[] requirements) => _requirements = requirements;

    public bool Matches(LabelSet labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var value);
            var ok = r.Op switch
            {
                Op.Exists => has,
                Op.NotExists => !has,
                Op.In => has && Array.IndexOf(r.Values, value) >= 0,
                _ => !has || Array.IndexOf(r.Values, value) < 0,
            };
            if (!ok)
                return false;
        }
        return true;
    }

    public static bool TryParse(string? text, out LabelSelector selector, out string error)
    {
        selector = Everything;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
            return true;
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            if (!TryParseRequirement(part.Trim(), out var requirement))
            {
                error = $"unable to parse requirement: '{part.Trim()}'";
                return false;
            }
            requirements.Add(requirement);
        }
        selector = new LabelSelector([.. requirements]);
        return true;
    }

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
                depth++;
            else if (text[i] == ')')
                depth--;
            else if (text[i] == ',' && depth == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }

    private static bool TryParseRequirement(string s, out Requirement requirement)
    {
        requirement = default;
        if (s.Length == 0)
            return false;
        if (s[0] == '!')
            return Make(s[1..].Trim(), Op.NotExists, [], out requirement);
        var setMatch = TrySet(s, " notin ", Op.NotIn, out requirement) || TrySet(s, " in ", Op.In, out requirement);
        if (setMatch)
            return requirement.Key.Length > 0;
        foreach (var (token, op) in Operators)
        {
            var at = s.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
                return Make(s[..at].Trim(), op, [s[(at + token.Length)..].Trim()], out requirement);
        }
        return Make(s, Op.Exists, [], out requirement);
    }

    private static readonly (string Token, Op Op)[] Operators = [("!=", Op.NotIn), ("==", Op.In), ("=", Op.In)];

    private static bool TrySet(string s, string keyword, Op op, out Requirement requirement)
    {
        requirement = default;
        var at = s.IndexOf(keyword, StringComparison.Ordinal);
        if (at <= 0)
            return false;
        var rest = s[(at + keyword.Length)..].Trim();
        if (rest.Length < 2 || rest[0] != '(' || rest[^1] != ')')
            return false;
        var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries);
        return Make(s[..at].Trim(), op, values, out requirement);
    }

    private static bool Make(string key, Op op, string[] values, out Requirement requirement)
    {
        requirement = new Requirement(key, op, values);
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
                return false;
        }
        return key.Length > 0;
    }

    private enum Op
    {
        Exists,
        NotExists,
        In,
        NotIn,
    }

    private readonly record struct Requirement(string Key, Op Op, string[] Values);
}
