using CsCheck;
using TinyMetrics.Tests;

namespace TinyMetrics.Configuration.Tests;

/// <summary>
/// Command lines in every pflag form (<c>--a=b</c>, <c>--a b</c>, bare booleans, <c>-v3</c>, <c>-v=3</c>,
/// <c>-l sel</c>, shorthand runs, <c>--</c>, <c>_</c> for <c>-</c>, unknown and malformed flags) over every flag of
/// the kinds <see cref="ReferencePflag"/> models, with values aimed at Go's parsers (base prefixes, underscores,
/// the 32-bit edges, duration units and overflows, control characters). The parser never throws, and its first
/// error line is exactly the one the reference predicts from pflag's and Go's rules.
/// </summary>
public class FlagParserFormsFuzzTests
{
    private static readonly Flag[] Flags = FlagTable.Sections.SelectMany(s => s.Flags).Where(f => ReferencePflag.ModelledKinds.Contains(f.Kind)).ToArray();

    private static readonly HashSet<string> Modelled = Flags.Select(f => f.Name).ToHashSet();

    private static readonly Gen<string> Value = Gen.OneOf(
        FuzzBudget.Pick(
            "", "true", "False", "T", "yes", "0", "1", "-0", "+0", "00", "017", "08", "0x1F", "0X1f", "0b101", "0o17", "0x", "1_000",
            "_1", "1__0", "0x_1F", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
            "4294967295x", "10000000000000000000x", "99999999999999999999", "10s", "1h2m3.5s", "1.5h", ".5s", "5.s", ".s",
            "1e3s", "1µs", "1μs", "1us", "9223372036854775807ns", "9223372036854775808ns", "-9223372036854775808ns",
            "2562047h47m16.854775807s", "2562048h", "0.0000000000000000000001s", "1", "1x", "µ", "a\"b\\c", "\a\b\f\v", "\u007f"),
        Gen.String[Gen.Char["0123456789.-+_xobhmsnuµμ eEtTrRfFaAlL\"\\\v\t"], 0, 10]);

    private static readonly Gen<string> LongName = Gen.OneOf(
        Gen.Int[0, Flags.Length - 1].Select(i => Flags[i].Name),
        Gen.Int[0, Flags.Length - 1].Select(i => Flags[i].Name.Replace('-', '_')),
        FuzzBudget.Pick("nope", "Help", "v", "h", "l", "help", "version"));

    private static readonly Gen<string> Shorthands = Gen.String[Gen.Char["hvl'q=\t3"], 1, 4];

    private static readonly Gen<string[]> Piece = Gen.OneOf(
        Gen.Select(LongName, Value, (n, v) => new[] { "--" + n + "=" + v }),
        Gen.Select(LongName, Value, (n, v) => new[] { "--" + n, v }),
        LongName.Select(n => new[] { "--" + n }),
        Gen.Select(Shorthands, Value, (s, v) => new[] { "-" + s + v }),
        Gen.Select(Shorthands, Value, (s, v) => new[] { "-" + s, v }),
        Value.Select(v => new[] { v }),
        FuzzBudget.Pick("--", "-", "---x", "--=x", "", "-=", "--v=", "-test.v", "-htest.v").Select(s => new[] { s }));

    [Test]
    public void Parse_AnyFormAnyValue_FirstErrorIsPflags()
    {
        Piece.Array[0, 5].Select(pieces => pieces.SelectMany(p => p).ToArray()).Sample(args =>
        {
            var expected = ReferencePflag.FirstError(args, Find, FindShorthand);
            var result = FlagParser.Parse(args);
            if (expected is not null)
                return result.Kind == FlagParseKind.Error && result.Text == expected;
            return result.Kind != FlagParseKind.Error || !IsParseError(result.Text);
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log(), print: args => string.Join(" ", args.Select(ReferencePflag.Quote)));
    }

    [Test]
    [Arguments("10000000000000000000x", 64, "strconv.ParseInt: parsing \"10000000000000000000x\": invalid syntax")]
    [Arguments("10000000000000000000x", 32, "strconv.ParseInt: parsing \"10000000000000000000x\": value out of range")]
    [Arguments("4294967295x", 32, "strconv.ParseInt: parsing \"4294967295x\": invalid syntax")]
    [Arguments("4294967296x", 32, "strconv.ParseInt: parsing \"4294967296x\": value out of range")]
    [Arguments("2147483648", 32, "strconv.ParseInt: parsing \"2147483648\": value out of range")]
    [Arguments("-2147483648", 32, null)]
    [Arguments("0x_1F", 32, null)]
    public async Task ReferenceParseInt_GoExamples(string text, int bits, string? expected) =>
        await Assert.That(ReferencePflag.ParseInt(text, bits, base0: true)).IsEqualTo(expected);

    [Test]
    [Arguments("1µs", null)]
    [Arguments("5.s", null)]
    [Arguments(".s", "time: invalid duration \".s\"")]
    [Arguments("1.5", "time: missing unit in duration \"1.5\"")]
    [Arguments("1x", "time: unknown unit \"x\" in duration \"1x\"")]
    [Arguments("1µ", "time: unknown unit \"\\xc2\\xb5\" in duration \"1\\xc2\\xb5\"")]
    [Arguments("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\"")]
    [Arguments("-9223372036854775808ns", null)]
    public async Task ReferenceParseDuration_GoExamples(string text, string? expected) =>
        await Assert.That(ReferencePflag.ParseDuration(text)).IsEqualTo(expected);

    // Unmodelled kinds behave as strings here, so only the modelled flags are found by name.
    private static Flag? Find(string name) => Modelled.Contains(name) ? FlagTable.Find(name) : null;

    private static Flag? FindShorthand(char c) => FlagTable.FindShorthand(c);

    private static bool IsParseError(string text) =>
        text.StartsWith("invalid argument ", StringComparison.Ordinal) || text.StartsWith("unknown flag: ", StringComparison.Ordinal)
        || text.StartsWith("unknown shorthand flag: ", StringComparison.Ordinal) || text.StartsWith("flag needs an argument: ", StringComparison.Ordinal)
        || text.StartsWith("bad flag syntax: ", StringComparison.Ordinal);
}
