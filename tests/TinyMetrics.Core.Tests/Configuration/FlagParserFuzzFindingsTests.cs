namespace TinyMetrics.Configuration.Tests;

/// <summary>
/// What FlagParserFormsFuzzTests found, one case each, against pflag's and Go's own texts: a number that overflows
/// int32 but not ParseUint's 2^32 − 1 before a bad character is a syntax error; strconv's named escapes;
/// %q of a shorthand character; the time package's \xNN quoting of non-ASCII; "-test." runs are skipped.
/// </summary>
public class FlagParserFuzzFindingsTests
{
    [Test]
    [Arguments("--secure-port=4294967295x", "invalid argument \"4294967295x\" for \"--secure-port\" flag: strconv.ParseInt: parsing \"4294967295x\": invalid syntax")]
    [Arguments("--secure-port=4294967296x", "invalid argument \"4294967296x\" for \"--secure-port\" flag: strconv.ParseInt: parsing \"4294967296x\": value out of range")]
    [Arguments("--secure-port=\v", "invalid argument \"\\v\" for \"--secure-port\" flag: strconv.ParseInt: parsing \"\\v\": invalid syntax")]
    [Arguments("--node-selector=a\fb", null)]
    [Arguments("--profiling=\a", "invalid argument \"\\a\" for \"--profiling\" flag: strconv.ParseBool: parsing \"\\a\": invalid syntax")]
    [Arguments("-'", "unknown shorthand flag: '\\'' in -'")]
    [Arguments("-\t", "unknown shorthand flag: '\\t' in -\t")]
    [Arguments("-h\\", "unknown shorthand flag: '\\\\' in -\\")]
    [Arguments("--kubelet-request-timeout=µ", "invalid argument \"µ\" for \"--kubelet-request-timeout\" flag: time: invalid duration \"\\xc2\\xb5\"")]
    [Arguments("--kubelet-request-timeout=1µ", "invalid argument \"1µ\" for \"--kubelet-request-timeout\" flag: time: unknown unit \"\\xc2\\xb5\" in duration \"1\\xc2\\xb5\"")]
    [Arguments("--kubelet-request-timeout=1\t", "invalid argument \"1\\t\" for \"--kubelet-request-timeout\" flag: time: unknown unit \"\\x09\" in duration \"1\\x09\"")]
    public async Task Parse_FuzzFinding_ErrorAsUpstream(string arg, string? expected)
    {
        var result = FlagParser.Parse([arg]);

        if (expected is null)
        {
            await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Run);
            return;
        }
        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Error);
        await Assert.That(result.Text).IsEqualTo(expected);
    }

    [Test]
    [Arguments("-test.v")]
    [Arguments("-test.run=Foo")]
    public async Task Parse_GoTestFlag_IsSkippedAsPflagDoes(string arg)
    {
        var result = FlagParser.Parse([arg, "--secure-port=0"]);

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Run);
        await Assert.That(result.Options!.SecurePort).IsEqualTo(0);
    }
}
