namespace TinyMetrics.Configuration.Tests;

public class FlagParserErrorsTests
{
    [Test]
    [Arguments("--foo", "unknown flag: --foo")]
    [Arguments("--foo=bar", "unknown flag: --foo")]
    [Arguments("--secure-port=1 --foo", "unknown flag: --foo")]
    [Arguments("-x", "unknown shorthand flag: 'x' in -x")]
    [Arguments("-vx", "invalid argument \"x\" for \"-v, --v\" flag: strconv.ParseInt: parsing \"x\": invalid syntax")]
    [Arguments("-hx", "unknown shorthand flag: 'x' in -x")]
    [Arguments("---kubeconfig", "bad flag syntax: ---kubeconfig")]
    [Arguments("--=x", "bad flag syntax: --=x")]
    [Arguments("--kubeconfig", "flag needs an argument: --kubeconfig")]
    [Arguments("--secure-port=1 --metric-resolution", "flag needs an argument: --metric-resolution")]
    [Arguments("-l", "flag needs an argument: 'l' in -l")]
    [Arguments("-v", "flag needs an argument: 'v' in -v")]
    [Arguments("--kubelet-port=abc", "invalid argument \"abc\" for \"--kubelet-port\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [Arguments("--kubelet-port=", "invalid argument \"\" for \"--kubelet-port\" flag: strconv.ParseInt: parsing \"\": invalid syntax")]
    [Arguments("--kubelet-port=99999999999", "invalid argument \"99999999999\" for \"--kubelet-port\" flag: strconv.ParseInt: parsing \"99999999999\": value out of range")]
    [Arguments("--kubelet-port=1__0", "invalid argument \"1__0\" for \"--kubelet-port\" flag: strconv.ParseInt: parsing \"1__0\": invalid syntax")]
    [Arguments("--kubelet-port=08", "invalid argument \"08\" for \"--kubelet-port\" flag: strconv.ParseInt: parsing \"08\": invalid syntax")]
    [Arguments("--kubelet-insecure-tls=yes", "invalid argument \"yes\" for \"--kubelet-insecure-tls\" flag: strconv.ParseBool: parsing \"yes\": invalid syntax")]
    [Arguments("--metric-resolution=15", "invalid argument \"15\" for \"--metric-resolution\" flag: time: missing unit in duration \"15\"")]
    [Arguments("--metric-resolution=1d", "invalid argument \"1d\" for \"--metric-resolution\" flag: time: unknown unit \"d\" in duration \"1d\"")]
    [Arguments("--kubelet-request-timeout=abc", "invalid argument \"abc\" for \"--kubelet-request-timeout\" flag: time: invalid duration \"abc\"")]
    [Arguments("--bind-address=localhost", "invalid argument \"localhost\" for \"--bind-address\" flag: failed to parse IP: \"localhost\"")]
    [Arguments("--bind-address=1.2.3", "invalid argument \"1.2.3\" for \"--bind-address\" flag: failed to parse IP: \"1.2.3\"")]
    [Arguments("--bind-address=01.2.3.4", "invalid argument \"01.2.3.4\" for \"--bind-address\" flag: failed to parse IP: \"01.2.3.4\"")]
    [Arguments("--bind-address=256.0.0.1", "invalid argument \"256.0.0.1\" for \"--bind-address\" flag: failed to parse IP: \"256.0.0.1\"")]
    [Arguments("--v=-1x", "invalid argument \"-1x\" for \"-v, --v\" flag: strconv.ParseInt: parsing \"-1x\": invalid syntax")]
    [Arguments("--v=0x1", "invalid argument \"0x1\" for \"-v, --v\" flag: strconv.ParseInt: parsing \"0x1\": invalid syntax")]
    [Arguments("--tls-cipher-suites=a\"b", "invalid argument \"a\\\"b\" for \"--tls-cipher-suites\" flag: parse error on line 1, column 2: bare \" in non-quoted-field")]
    [Arguments("--max-requests-inflight=lots", "invalid argument \"lots\" for \"--max-requests-inflight\" flag: strconv.ParseInt: parsing \"lots\": invalid syntax")]
    [Arguments("--audit-webhook-batch-throttle-qps=fast", "invalid argument \"fast\" for \"--audit-webhook-batch-throttle-qps\" flag: strconv.ParseFloat: parsing \"fast\": invalid syntax")]
    [Arguments("--profiling=maybe", "invalid argument \"maybe\" for \"--profiling\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    [Arguments("--request-timeout=1", "invalid argument \"1\" for \"--request-timeout\" flag: time: missing unit in duration \"1\"")]
    public async Task Parse_BadInput_ReturnsPflagError(string line, string expected)
    {
        var result = FlagParser.Parse(FlagParserFormsTests.Split(line));

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Error);
        await Assert.That(result.Text).IsEqualTo(expected);
        await Assert.That(result.Options).IsNull();
    }

    [Test]
    [Arguments("--replicas-from=a/b/c", false)]
    [Arguments("--replicas-from=/metrics-server", false)]
    [Arguments("--replicas-from=kube-system/", false)]
    [Arguments("--replicas-from=metrics-server", true)]
    [Arguments("--replicas-from=kube-system/metrics-server", true)]
    public async Task Parse_ReplicasFrom_NameOrNamespaceSlashName(string line, bool valid)
    {
        var result = FlagParser.Parse(FlagParserFormsTests.Split(line));

        await Assert.That(result.Kind == FlagParseKind.Error).IsEqualTo(!valid);
        if (!valid)
            await Assert.That(result.Text).StartsWith("--replicas-from must be a Service NAME or NAMESPACE/NAME");
    }

    [Test]
    [Arguments("serve")]
    [Arguments("--secure-port=1 serve")]
    [Arguments("-- --secure-port=1")]
    [Arguments("--kubelet-insecure-tls true")]
    [Arguments("-")]
    public async Task Parse_PositionalArgument_IsAnError(string line)
    {
        var result = FlagParser.Parse(FlagParserFormsTests.Split(line));

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Error);
        await Assert.That(result.Text).StartsWith("unexpected argument \"");
    }

    [Test]
    public async Task Parse_FirstErrorWins_LaterProblemsNotReported()
    {
        var result = FlagParser.Parse(["--kubelet-port=x", "--foo"]);

        await Assert.That(result.Text).Contains("--kubelet-port");
    }

    [Test]
    public async Task Parse_ValueLooksLikeFlag_IsTakenAsValue()
    {
        var options = FlagParserFormsTests.ParseOk("--kubeconfig --secure-port=1");

        await Assert.That(options.Kubeconfig).IsEqualTo("--secure-port=1");
        await Assert.That(options.SecurePort).IsEqualTo(443);
    }
}
