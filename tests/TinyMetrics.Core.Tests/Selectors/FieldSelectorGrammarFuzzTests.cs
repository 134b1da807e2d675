using System.Text;
using CsCheck;
using TinyMetrics.Tests;

namespace TinyMetrics.Selectors.Tests;

/// <summary>
/// Grammar-driven property tests of the field-selector parser (apimachinery <c>fields.ParseSelector</c>): values
/// holding any character, escaped as <c>fields.EscapeValue</c> does (<c>\\</c>, <c>\,</c>, <c>\=</c>), every operator,
/// empty terms; each selector parses and matches exactly when the terms say so. Broken escapes, unknown fields and
/// random text fail with an error, never an exception.
/// </summary>
public class FieldSelectorGrammarFuzzTests
{
    private static readonly Gen<string> Value = Gen.OneOf(
        FuzzBudget.Pick("a", "kube-system", "", "node-1"),
        Gen.String[Gen.Char["ab=,\\!. é😀\t"], 0, 8]);

    private static readonly Gen<(bool IsNamespace, int Op, string Value)> Term = Gen.Select(Gen.Bool, Gen.Int[0, 2], Value);

    [Test]
    public void TryParse_EscapedTerms_MatchAsTheTermsSay()
    {
        Gen.Select(Term.Array[1, 4], Gen.Int[0, 3], Value, Value).Sample((terms, empties, name, ns) =>
        {
            var text = new StringBuilder();
            foreach (var t in terms)
            {
                if (text.Length > 0)
                    text.Append(',');
                text.Append(t.IsNamespace ? "metadata.namespace" : "metadata.name")
                    .Append(t.Op switch { 0 => "=", 1 => "==", _ => "!=" }).Append(Escape(t.Value));
            }
            // Empty terms (",," or a leading or trailing comma) are skipped upstream.
            text.Append(',', empties % 2).Insert(0, empties > 1 ? "," : "");
            if (!FieldSelector.TryParse(text.ToString(), out var selector, out _))
                return false;
            var expected = terms.All(t => t.Op == 2 ? (t.IsNamespace ? ns : name) != t.Value : (t.IsNamespace ? ns : name) == t.Value);
            return selector.Matches(name, ns) == expected;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    [Test]
    public void TryParse_UnescapedOrUnknown_FailsWithAnError()
    {
        var broken = Gen.Select(Value, FuzzBudget.Pick("\\", "\\a", "=", "\\\\\\", "\\n"), FuzzBudget.Pick("metadata.name=", "metadata.namespace!=", "spec.nodeName=", "metadata.uid=="),
            (value, bad, prefix) => prefix + "x" + Escape(value) + bad);
        broken.Sample(text =>
        {
            var ok = FieldSelector.TryParse(text, out _, out var error);
            return !ok && error!.Length > 0;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    [Test]
    public void TryParse_AnyText_NeverThrows()
    {
        Gen.String[Gen.Char["metadaname.spc=!,\\ \0é😀"], 0, 60].Sample(text =>
        {
            if (!FieldSelector.TryParse(text, out var selector, out var error))
                return error!.Length > 0;
            selector.Matches(text, text);
            return true;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    // fields.EscapeValue.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);
}
