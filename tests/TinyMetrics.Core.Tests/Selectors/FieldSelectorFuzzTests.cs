using CsCheck;
using TinyMetrics.Tests;

namespace TinyMetrics.Selectors.Tests;

/// <summary>Property tests of the field-selector parser: never an exception, and written terms match as the rules say.</summary>
public class FieldSelectorFuzzTests
{
    private static readonly Gen<string> Field = FuzzBudget.Pick("metadata.name", "metadata.namespace");
    private static readonly Gen<string> Value = FuzzBudget.Pick("a", "b", "kube-system");

    [Test]
    public void TryParse_RandomText_NeverThrows()
    {
        Gen.String[Gen.Char["metadata.nspc=!,\\ ab"], 0, 40].Sample(text =>
        {
            var ok = FieldSelector.TryParse(text, out _, out var error);
            return ok || error!.Length > 0;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    [Test]
    public void Matches_WrittenTerms_AgreeWithTheRules()
    {
        var term = Gen.Select(Field, Gen.Int[0, 2], Value);
        Gen.Select(term.Array[1, 3], Value, Value).Sample(t =>
        {
            var (terms, name, ns) = t;
            var text = string.Join(",", terms.Select(x => x.Item1 + (x.Item2 switch { 0 => "=", 1 => "==", _ => "!=" }) + x.Item3));
            if (!FieldSelector.TryParse(text, out var selector, out _))
                return false;
            var expected = terms.All(x =>
            {
                var actual = x.Item1 == "metadata.name" ? name : ns;
                return x.Item2 == 2 ? actual != x.Item3 : actual == x.Item3;
            });
            return selector.Matches(name, ns) == expected;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }
}
