using System.Globalization;
using System.Numerics;
using System.Text;
using CsCheck;
using TinyMetrics.Discovery;
using TinyMetrics.Tests;

namespace TinyMetrics.Selectors.Tests;

/// <summary>
/// Grammar-driven property tests of the label-selector parser. Valid selectors are generated from apimachinery's
/// grammar (qualified keys with DNS prefixes, every operator, empty values and empty set members, whitespace
/// between tokens); each must parse, match a label set exactly when the reference rules written here say so, and
/// print as upstream's canonical <c>String()</c>, which parses back to the same selector. Any other text either
/// parses or fails with an error: never an exception.
/// </summary>
public class LabelSelectorGrammarFuzzTests
{
    private enum Op { Equals, DoubleEquals, NotEquals, In, NotIn, Exists, DoesNotExist, GreaterThan, LessThan }

    private sealed record Requirement(string Key, Op Op, string[] Values, string[] Spaces);

    private static readonly Gen<char> Alnum = Gen.Char["abcxyzABCXYZ0189"];

    // [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63 characters.
    private static readonly Gen<string> NamePart = Gen.OneOf(
        Alnum.Select(c => c.ToString()),
        Gen.Select(Alnum, Gen.String[Gen.Char["abz09-_.X"], 0, 61], Alnum, (a, mid, b) => a + mid + b));

    // A lowercase RFC 1123 subdomain of one to three labels.
    private static readonly Gen<string> Prefix = Gen.Select(Gen.Char["abz09"], Gen.String[Gen.Char["abz09-"], 0, 6], Gen.Char["abz09"],
        (a, mid, b) => a + mid + b).Array[1, 3].Select(labels => string.Join('.', labels));

    private static readonly Gen<string> Key = Gen.OneOf(NamePart, Gen.Select(Prefix, NamePart, (p, n) => p + "/" + n));

    private static readonly Gen<string> LabelValue = Gen.OneOf(NamePart, Gen.Const(""));

    // A Gt/Lt bound: digits only (a sign would fail label-value validation) and within int64.
    private static readonly Gen<string> Bound = Gen.OneOf(
        Gen.Long[0, 1000].Select(i => i.ToString(CultureInfo.InvariantCulture)),
        FuzzBudget.Pick("007", "0", "9223372036854775807"));

    private static readonly Gen<string> Integer = Gen.OneOf(Bound, FuzzBudget.Pick("9223372036854775808", "99999999999999999999"));

    // Label values on objects are not validated here: the matcher must cope with whatever the API sends.
    private static readonly Gen<string> ObjectValue = Gen.OneOf(LabelValue, Integer, FuzzBudget.Pick("-3", "+4", "1.5", " 1"));

    private static readonly Gen<string> Space = FuzzBudget.Pick("", "", " ", "  ", "\t", "\n", "\r\n");

    private static readonly Gen<(string[] Keys, string[] Values)> Pool = Gen.Select(Key.Array[1, 4], Gen.OneOf(LabelValue, Integer).Array[1, 4]);

    private static readonly Gen<(Requirement[] Requirements, Dictionary<string, string> Labels)> Case = Pool.SelectMany(pool =>
    {
        var key = Gen.Int[0, pool.Keys.Length - 1].Select(i => pool.Keys[i]);
        var value = Gen.Int[0, pool.Values.Length - 1].Select(i => pool.Values[i]);
        var requirement = Gen.Select(key, Gen.Int[0, 8], Gen.OneOf(value, LabelValue).Array[1, 4], Bound, Space.Array[5], (k, op, values, integer, spaces) =>
            (Op)op is Op.GreaterThan or Op.LessThan ? new Requirement(k, (Op)op, [integer], spaces) : new Requirement(k, (Op)op, ValidSet(values), spaces));
        // Each distinct key of the pool is on the object or not, with a value from the pool or anything the API could hold.
        var keys = pool.Keys.Distinct().ToArray();
        var labels = Gen.Select(Gen.Bool.Array[keys.Length], Gen.OneOf(value, ObjectValue).Array[keys.Length], (present, values) =>
            Enumerable.Range(0, keys.Length).Where(i => present[i]).ToDictionary(i => keys[i], i => values[i]));
        return Gen.Select(requirement.Array[1, 5], labels);
    });

    [Test]
    public void TryParse_GrammarSelector_MatchesAsTheRulesSayAndPrintsCanonically()
    {
        Case.Sample((requirements, labels) =>
        {
            var text = Write(requirements);
            if (!LabelSelector.TryParse(text, out var selector, out _))
                return false;
            var set = LabelSet.From(labels);
            var expected = true;
            foreach (var r in requirements)
                expected &= Holds(r, labels);
            return selector.Matches(set) == expected && selector.ToString() == Canonical(requirements);
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log(), print: Print);
    }

    [Test]
    public void TryParse_CanonicalText_RoundTrips()
    {
        Case.Sample((requirements, labels) =>
        {
            if (!LabelSelector.TryParse(Write(requirements), out var selector, out _))
                return false;
            var printed = selector.ToString();
            var set = LabelSet.From(labels);
            return LabelSelector.TryParse(printed, out var again, out _) && again.ToString() == printed && again.Matches(set) == selector.Matches(set);
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log(), print: Print);
    }

    [Test]
    public void TryParse_MutatedGrammarSelector_NeverThrows()
    {
        var edit = Gen.Select(Gen.Int[0, 200], Gen.Char["=!(),<> \t\0\v\u00a0é/.-_ainot"], Gen.Int[0, 2]);
        Gen.Select(Case, edit.Array[1, 4]).Sample((c, edits) =>
        {
            var text = new StringBuilder(Write(c.Requirements));
            foreach (var (at, ch, kind) in edits)
            {
                var i = Math.Min(at, text.Length);
                if (kind == 0)
                    text.Insert(i, ch);
                else if (i < text.Length)
                    text.Remove(i, 1);
                else
                    text.Append(ch);
            }
            if (!LabelSelector.TryParse(text.ToString(), out var selector, out var error))
                return error!.Length > 0;
            selector.Matches(LabelSet.From(c.Labels));
            return true;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    // apimachinery's lexer skips only ' ', '\t', '\r' and '\n'; any other blank is part of an identifier, which then
    // fails key validation.
    [Test]
    [Arguments("\v")]
    [Arguments("\f")]
    [Arguments("\u00a0")]
    [Arguments("\u2003")]
    [Arguments(" \u0085 ")]
    public async Task TryParse_BlankOutsideTheLexersWhitespace_IsAnError(string text)
    {
        var ok = LabelSelector.TryParse(text, out _, out var error);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).StartsWith("unable to parse requirement: <nil>: Invalid value: ");
    }

    [Test]
    [Arguments(" ")]
    [Arguments(" \t\r\n ")]
    public async Task TryParse_LexerWhitespaceOnly_SelectsEverything(string text)
    {
        var ok = LabelSelector.TryParse(text, out var selector, out _);

        await Assert.That(ok).IsTrue();
        await Assert.That(selector.IsEmpty).IsTrue();
    }

    // Upstream's parseIdentifiersList fails on two empty members before ')' after any other ("(,,)", "(a,,)"): it
    // consumes the second comma and then finds ')' where it wants a value. Such a set is an error, not a selector.
    [Test]
    [Arguments("x in (,,)")]
    [Arguments("x notin (a,,)")]
    public async Task TryParse_TwoTrailingEmptyMembers_IsAnErrorAsUpstream(string text)
    {
        var ok = LabelSelector.TryParse(text, out _, out var error);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsEqualTo("unable to parse requirement: found ')', expected: ',', or identifier");
    }

    // Found by the grammar property: an unstable sort printed "!k,k" as "k,!k".
    [Test]
    [Arguments("!k,k,a", "a,!k,k")]
    [Arguments("k,!k,a", "a,k,!k")]
    [Arguments("b=1,a,b!=2,b in (3),a=4", "a,a=4,b=1,b!=2,b in (3)")]
    public async Task ToString_RepeatedKeys_KeepTheirWrittenOrder(string text, string expected)
    {
        LabelSelector.TryParse(text, out var selector, out _);

        await Assert.That(selector.ToString()).IsEqualTo(expected);
    }

    private static string[] ValidSet(string[] values)
    {
        while (values.Length >= 3 && values[^1].Length == 0 && values[^2].Length == 0)
            values = values[..^1];
        return values;
    }

    private static string Print((Requirement[] Requirements, Dictionary<string, string> Labels) c)
    {
        LabelSelector.TryParse(Write(c.Requirements), out var selector, out var error);
        return "text: " + Write(c.Requirements).ReplaceLineEndings("\\n") + "\nparsed: " + (error ?? selector.ToString()) + "\nexpected: " + Canonical(c.Requirements)
            + "\nlabels: " + string.Join(";", c.Labels.Select(p => p.Key + "=" + p.Value));
    }

    private static string Write(Requirement[] requirements)
    {
        var text = new StringBuilder();
        for (var i = 0; i < requirements.Length; i++)
        {
            var r = requirements[i];
            var s = r.Spaces;
            if (i > 0)
                text.Append(s[0]).Append(',');
            text.Append(s[1]);
            // "in" and "notin" need a blank after the key, or they would be part of it.
            var opSpace = r.Op is Op.In or Op.NotIn && s[2].Length == 0 ? " " : s[2];
            switch (r.Op)
            {
                case Op.Exists:
                    text.Append(r.Key);
                    break;
                case Op.DoesNotExist:
                    text.Append('!').Append(s[2]).Append(r.Key);
                    break;
                case Op.In or Op.NotIn:
                    text.Append(r.Key).Append(opSpace).Append(r.Op == Op.In ? "in" : "notin").Append(s[3]).Append('(')
                        .AppendJoin(s[4] + "," + s[4], r.Values).Append(')');
                    break;
                default:
                    text.Append(r.Key).Append(s[2]).Append(Symbol(r.Op)).Append(s[3]).Append(r.Values[0]);
                    break;
            }
        }
        return text.ToString();
    }

    private static string Symbol(Op op) => op switch
    {
        Op.Equals => "=", Op.DoubleEquals => "==", Op.NotEquals => "!=", Op.GreaterThan => ">", _ => "<",
    };

    // Upstream's Requirement.String(), in key order (a stable sort keeps the written order of repeated keys).
    private static string Canonical(Requirement[] requirements) => string.Join(",", requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r =>
    {
        var values = r.Values.Distinct().Order(StringComparer.Ordinal);
        return r.Op switch
        {
            Op.Exists => r.Key,
            Op.DoesNotExist => "!" + r.Key,
            Op.In => r.Key + " in (" + string.Join(",", values) + ")",
            Op.NotIn => r.Key + " notin (" + string.Join(",", values) + ")",
            _ => r.Key + Symbol(r.Op) + r.Values[0],
        };
    }));

    private static bool Holds(Requirement r, Dictionary<string, string> labels)
    {
        var has = labels.TryGetValue(r.Key, out var value);
        return r.Op switch
        {
            Op.Equals or Op.DoubleEquals => has && value == r.Values[0],
            Op.NotEquals => !has || value != r.Values[0],
            Op.In => has && r.Values.Contains(value),
            Op.NotIn => !has || !r.Values.Contains(value),
            Op.Exists => has,
            Op.DoesNotExist => !has,
            _ => has && GoParseInt(value!) is { } actual && GoParseInt(r.Values[0]) is { } bound
                && (r.Op == Op.GreaterThan ? actual > bound : actual < bound),
        };
    }

    // strconv.ParseInt(s, 10, 64): an optional sign and ASCII digits, within int64.
    private static BigInteger? GoParseInt(string s)
    {
        var digits = s.Length > 0 && s[0] is '+' or '-' ? s[1..] : s;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            return null;
        var value = BigInteger.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return value >= long.MinValue && value <= long.MaxValue ? value : null;
    }
}
