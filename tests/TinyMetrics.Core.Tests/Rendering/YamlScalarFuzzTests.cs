using System.Text.RegularExpressions;
using CsCheck;
using TinyMetrics.Tests;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// The hand-written resolver matchers decide every string exactly as yaml.v2's regular expressions (the oracle
/// here, where a regex engine costs nothing) do.
/// </summary>
public class YamlScalarFuzzTests
{
    private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);
    private static readonly Regex Timestamp = new(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$", RegexOptions.CultureInvariant);
    private static readonly Regex Base60 = new(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$", RegexOptions.CultureInvariant);

    // Digits weighted up, so that random strings often come close to each pattern.
    private static readonly Gen<string> Text = Gen.String[Gen.Char["0123456789012345678901234567896789+-.eE_:Tt Z"], 0, 24];

    [Test]
    [Arguments("1", true, false, false)]
    [Arguments("-.5e+10", true, false, false)]
    [Arguments("1.", true, false, false)]
    [Arguments(".", false, false, false)]
    [Arguments("1e", false, false, false)]
    [Arguments("2026-12-3", false, true, false)]
    [Arguments("2026-12-03T05:46:44.5+01:00", false, true, false)]
    [Arguments("2026-12-03 5:6:7Z", false, true, false)]
    [Arguments("2026-12-03T05:46", false, false, false)]
    [Arguments("190:20:30.15", false, false, true)]
    [Arguments("1:60", false, false, false)]
    [Arguments("1_0:5", false, false, true)]
    public async Task Matchers_Examples(string s, bool isFloat, bool isTimestamp, bool isBase60)
    {
        await Assert.That(YamlScalar.IsFloat(s)).IsEqualTo(isFloat);
        await Assert.That(YamlScalar.IsTimestamp(s)).IsEqualTo(isTimestamp);
        await Assert.That(YamlScalar.IsBase60(s)).IsEqualTo(isBase60);
    }

    [Test]
    public void Matchers_RandomText_AgreeWithTheRegularExpressions()
    {
        Text.Sample(s =>
            YamlScalar.IsFloat(s) == Float.IsMatch(s)
            && YamlScalar.IsTimestamp(s) == Timestamp.IsMatch(s)
            && YamlScalar.IsBase60(s) == Base60.IsMatch(s), iter: FuzzBudget.Iter * 10, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    [Test]
    public void Matchers_Timestamps_AgreeWithTheRegularExpressions()
    {
        var d = Gen.Int[0, 999].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var sep = FuzzBudget.Pick("-", ":", "T", " ", ".", "Z", "+", "");
        Gen.Select(d, sep, d, sep, d, sep, d).Select(p => p.Item1 + p.Item2 + p.Item3 + p.Item4 + p.Item5 + p.Item6 + p.Item7)
            .Select(Gen.Int[0, 9999], (tail, year) => year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + "-" + tail)
            .Sample(s => YamlScalar.IsTimestamp(s) == Timestamp.IsMatch(s) && YamlScalar.IsBase60(s) == Base60.IsMatch(s), iter: FuzzBudget.Iter * 10, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }
}
