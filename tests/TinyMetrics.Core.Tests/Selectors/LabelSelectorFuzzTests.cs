using CsCheck;
using TinyMetrics.Discovery;
using TinyMetrics.Tests;

namespace TinyMetrics.Selectors.Tests;

/// <summary>
/// Property tests of the label-selector parser: any text parses or fails with an error (never an exception), and a
/// selector written from requirements matches a label set exactly when apimachinery's rules, written here, say so.
/// </summary>
public class LabelSelectorFuzzTests
{
    private static readonly Gen<string> Word = FuzzBudget.Pick("a", "b", "app", "tier", "x.y/z");
    private static readonly Gen<string> Value = FuzzBudget.Pick("1", "2", "web", "db");

    private static readonly Gen<(string Key, int Op, string[] Values)> Requirement =
        Gen.Select(Word, Gen.Int[0, 6], Value.Array[1, 3]);

    private static readonly Gen<Dictionary<string, string>> Labels = Gen.Dictionary(Word, Value)[0, 4];

    [Test]
    public void TryParse_RandomText_NeverThrows()
    {
        Gen.String[Gen.Char["ab=!,() inotxy./-_z1"], 0, 40].Sample(text =>
        {
            var ok = LabelSelector.TryParse(text, out _, out var error);
            return ok || error!.Length > 0;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    [Test]
    public void Matches_WrittenSelector_AgreesWithTheRules()
    {
        Gen.Select(Requirement.Array[1, 4], Labels).Sample(t =>
        {
            var (requirements, labels) = t;
            var text = string.Join(",", requirements.Select(Write));
            if (!LabelSelector.TryParse(text, out var selector, out _))
                return false;
            return selector.Matches(LabelSet.From(labels)) == requirements.All(r => Holds(r, labels));
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    private static string Write((string Key, int Op, string[] Values) r) => r.Op switch
    {
        0 => $"{r.Key}={r.Values[0]}",
        1 => $"{r.Key}=={r.Values[0]}",
        2 => $"{r.Key}!={r.Values[0]}",
        3 => $"{r.Key} in ({string.Join(",", r.Values)})",
        4 => $"{r.Key} notin ({string.Join(",", r.Values)})",
        5 => r.Key,
        _ => "!" + r.Key,
    };

    private static bool Holds((string Key, int Op, string[] Values) r, Dictionary<string, string> labels)
    {
        var has = labels.TryGetValue(r.Key, out var value);
        return r.Op switch
        {
            0 or 1 => has && value == r.Values[0],
            2 => !has || value != r.Values[0],
            3 => has && r.Values.Contains(value),
            4 => !has || !r.Values.Contains(value),
            5 => has,
            _ => !has,
        };
    }
}
