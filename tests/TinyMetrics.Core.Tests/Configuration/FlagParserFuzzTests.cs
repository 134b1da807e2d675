using CsCheck;
using TinyMetrics.Tests;

namespace TinyMetrics.Configuration.Tests;

/// <summary>Property tests of the flag parser: any command line is a run, help, version or an error line, never an exception.</summary>
public class FlagParserFuzzTests
{
    private static readonly Gen<string> Name = FuzzBudget.Pick(
        "--metric-resolution", "--kubelet-request-timeout", "--secure-port", "--max-requests-inflight", "--v", "-v",
        "--kubelet-preferred-address-types", "--node-selector", "--tls-sni-cert-key", "--profiling", "--feature-gates",
        "--logging-format", "--shutdown-delay-duration", "--kubelet-insecure-tls", "--help", "--version", "--", "-", "--x");

    private static readonly Gen<string> Value = Gen.OneOf(
        FuzzBudget.Pick("", "10s", "-1", "1e9", "999999999999999999999", "true", "false", "a=b", "1h2m3.5s", "json", "9223372036854775807ns"),
        Gen.String[Gen.Char["0123456789smhnuµ.-+=,:abc"], 0, 12]);

    private static readonly Gen<string> Argument = Gen.OneOf(
        Gen.Select(Name, Value, (n, v) => n + "=" + v),
        Name,
        Value);

    [Test]
    public void Parse_RandomCommandLine_NeverThrows()
    {
        Argument.Array[0, 6].Sample(args =>
        {
            var result = FlagParser.Parse(args);
            return result.Kind switch
            {
                FlagParseKind.Run => result.Options is not null,
                _ => result.Text.Length > 0,
            };
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    [Test]
    public void Parse_RunResult_PassesItsOwnValidation()
    {
        Argument.Array[0, 6].Sample(args =>
        {
            var result = FlagParser.Parse(args);
            return result.Kind != FlagParseKind.Run || ServerOptionsValidator.Validate(result.Options!) is null;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }
}
