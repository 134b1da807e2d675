namespace TinyMetrics.Selectors;

/// <summary>
/// Kubernetes label selector syntax, ported from apimachinery <c>labels.Parse</c> so that the accepted
/// language and the error texts match: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, <c>k&gt;1</c>, <c>k&lt;1</c>, comma = AND.
/// </summary>
internal sealed class LabelSelectorParser
{
    private enum Token { EndOfString, ClosedPar, Comma, DoesNotExist, DoubleEquals, Equals, GreaterThan, Identifier, In, LessThan, NotEquals, NotIn, OpenPar }

    private readonly List<(Token Token, string Literal)> _items = [];
    private int _position;

    private LabelSelectorParser(string text) => Scan(text);

    public static string? Parse(string text, List<LabelRequirement> requirements)
    {
        var parser = new LabelSelectorParser(text);
        return parser.ParseAll(requirements);
    }

    private string? ParseAll(List<LabelRequirement> requirements)
    {
        while (true)
        {
            var (tok, lit) = Lookahead();
            if (tok == Token.EndOfString)
                return null;
            if (tok is not (Token.Identifier or Token.DoesNotExist))
                return $"found '{lit}', expected: !, identifier, or 'end of string'";
            var error = ParseRequirement(out var requirement);
            if (error is not null)
                return "unable to parse requirement: " + error;
            requirements.Add(requirement);
            var (next, nextLit) = Consume();
            if (next == Token.EndOfString)
                return null;
            if (next != Token.Comma)
                return $"found '{nextLit}', expected: ',' or 'end of string'";
            var (after, afterLit) = Lookahead();
            if (after is not (Token.Identifier or Token.DoesNotExist))
                return $"found '{afterLit}', expected: identifier after ','";
        }
    }

    private string? ParseRequirement(out LabelRequirement requirement)
    {
        requirement = default;
        var (tok, key) = Consume();
        var op = SelectorOperator.Exists;
        if (tok == Token.DoesNotExist)
        {
            op = SelectorOperator.DoesNotExist;
            (tok, key) = Consume();
        }
        if (tok != Token.Identifier)
            return $"found '{key}', expected: identifier";
        if (LabelValidation.CheckKey(key) is { } keyError)
            return Invalid("<nil>", key, keyError); // upstream validates the key with a nil field.Path
        // "!k" is complete by itself; whatever follows it is the caller's syntax error.
        if (op == SelectorOperator.DoesNotExist || Lookahead().Token is Token.EndOfString or Token.Comma)
        {
            requirement = new LabelRequirement(key, op, []);
            return null;
        }
        var error = ParseOperator(out op);
        if (error is not null)
            return error;
        string[]? values;
        error = op is SelectorOperator.In or SelectorOperator.NotIn ? ParseValues(out values) : ParseExactValue(out values);
        return error ?? BuildRequirement(key, op, values!, out requirement);
    }

    private string? ParseOperator(out SelectorOperator op)
    {
        var (tok, lit) = Consume(keywords: true);
        op = tok switch
        {
            Token.In => SelectorOperator.In,
            Token.NotIn => SelectorOperator.NotIn,
            Token.Equals => SelectorOperator.Equals,
            Token.DoubleEquals => SelectorOperator.DoubleEquals,
            Token.NotEquals => SelectorOperator.NotEquals,
            Token.GreaterThan => SelectorOperator.GreaterThan,
            Token.LessThan => SelectorOperator.LessThan,
            _ => SelectorOperator.Exists,
        };
        return op == SelectorOperator.Exists ? $"found '{lit}', expected: in, notin, =, ==, !=, gt, lt" : null;
    }

    private string? ParseValues(out string[]? values)
    {
        values = null;
        var (tok, lit) = Consume();
        if (tok != Token.OpenPar)
            return $"found '{lit}' expected: '('";
        (tok, lit) = Lookahead();
        if (tok == Token.ClosedPar)
        {
            Consume();
            values = [""];
            return null;
        }
        if (tok is not (Token.Identifier or Token.Comma))
            return $"found '{lit}', expected: ',', ')' or identifier";
        var set = new SortedSet<string>(StringComparer.Ordinal);
        var error = ParseIdentifiersList(set);
        if (error is not null)
            return error;
        if (Consume().Token != Token.ClosedPar)
            return $"found '{lit}', expected: ')'";
        values = [.. set];
        return null;
    }

    private string? ParseIdentifiersList(SortedSet<string> set)
    {
        while (true)
        {
            var (tok, lit) = Consume();
            if (tok == Token.Identifier)
            {
                set.Add(lit);
                var (next, nextLit) = Lookahead();
                if (next == Token.ClosedPar)
                    return null;
                if (next != Token.Comma)
                    return $"found '{nextLit}', expected: ',' or ')'";
                continue;
            }
            if (tok != Token.Comma)
                return $"found '{lit}', expected: ',', or identifier";
            if (set.Count == 0)
                set.Add("");
            var (after, _) = Lookahead();
            if (after == Token.ClosedPar)
            {
                set.Add("");
                return null;
            }
            if (after == Token.Comma)
            {
                Consume();
                set.Add("");
            }
        }
    }

    private string? ParseExactValue(out string[]? values)
    {
        values = null;
        var (tok, _) = Lookahead();
        if (tok is Token.EndOfString or Token.Comma)
        {
            values = [""];
            return null;
        }
        (tok, var lit) = Consume();
        if (tok != Token.Identifier)
            return $"found '{lit}', expected: identifier";
        values = [lit];
        return null;
    }

    // apimachinery NewRequirement: collects every problem, reported as one aggregate message.
    private static string? BuildRequirement(string key, SelectorOperator op, string[] values, out LabelRequirement requirement)
    {
        requirement = new LabelRequirement(key, op, values);
        var errors = new List<string>();
        if (op is SelectorOperator.GreaterThan or SelectorOperator.LessThan && !long.TryParse(values[0], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
            errors.Add(Invalid("values[0]", values[0], "for 'Gt', 'Lt' operators, the value must be an integer"));
        for (var i = 0; i < values.Length; i++)
        {
            if (LabelValidation.CheckValue(values[i]) is { } valueError)
                errors.Add(Invalid($"values[{i}][{key}]", values[i], valueError));
        }
        return errors.Count switch
        {
            0 => null,
            1 => errors[0],
            _ => "[" + string.Join(", ", errors) + "]",
        };
    }

    private static string Invalid(string path, string value, string detail) =>
        path + ": Invalid value: \"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\": " + detail;

    // In a value position, "in" and "notin" are ordinary identifiers ("x in (in)").
    private (Token Token, string Literal) Lookahead(bool keywords = false) => Normalize(_items[_position], keywords);

    private (Token Token, string Literal) Consume(bool keywords = false) => Normalize(_items[_position++], keywords);

    private static (Token, string) Normalize((Token Token, string Literal) item, bool keywords) =>
        !keywords && item.Token is Token.In or Token.NotIn ? (Token.Identifier, item.Literal) : item;

    private void Scan(string s)
    {
        var pos = 0;
        while (true)
        {
            while (pos < s.Length && IsWhitespace(s[pos]))
                pos++;
            if (pos == s.Length)
            {
                _items.Add((Token.EndOfString, ""));
                return;
            }
            var start = pos;
            if (IsSpecial(s[pos]))
            {
                // Longest operator wins: "!=" and "==" before "!" and "=".
                if (pos + 1 < s.Length && s[pos + 1] == '=' && s[pos] is '!' or '=')
                    pos++;
                pos++;
            }
            else
            {
                while (pos < s.Length && !IsSpecial(s[pos]) && !IsWhitespace(s[pos]))
                    pos++;
            }
            var literal = s[start..pos];
            _items.Add((Classify(literal), literal));
        }
    }

    private static Token Classify(string literal) => literal switch
    {
        ")" => Token.ClosedPar,
        "," => Token.Comma,
        "!" => Token.DoesNotExist,
        "==" => Token.DoubleEquals,
        "=" => Token.Equals,
        ">" => Token.GreaterThan,
        "in" => Token.In,
        "<" => Token.LessThan,
        "!=" => Token.NotEquals,
        "notin" => Token.NotIn,
        "(" => Token.OpenPar,
        _ => Token.Identifier,
    };

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';
}
