namespace TinyMetrics.Configuration.Tests;

public class ServerOptionsValidatorTests
{
    private const string Deprecated = "--deprecated-kubelet-completely-insecure";

    // The 12 TestValidate cases of metrics-server's cmd/metrics-server/app/options/kubelet_client_test.go, as command lines.
    [Test]
    [Arguments("", "")]
    [Arguments("--kubelet-certificate-authority=a " + Deprecated,
        "cannot use both --kubelet-certificate-authority and --deprecated-kubelet-completely-insecure")]
    [Arguments("--kubelet-certificate-authority=a --kubelet-insecure-tls",
        "cannot use both --kubelet-certificate-authority and --kubelet-insecure-tls")]
    [Arguments("--kubelet-client-key=a --kubelet-client-certificate=b", "")]
    [Arguments("--kubelet-client-certificate=a " + Deprecated,
        "need both --kubelet-client-key and --kubelet-client-certificate")]
    [Arguments("--kubelet-client-key=a " + Deprecated,
        "need both --kubelet-client-key and --kubelet-client-certificate")]
    [Arguments("--kubelet-insecure-tls " + Deprecated,
        "cannot use both --kubelet-insecure-tls and --deprecated-kubelet-completely-insecure")]
    [Arguments("--kubelet-client-certificate=a", "need both --kubelet-client-key and --kubelet-client-certificate")]
    [Arguments("--kubelet-client-key=a", "need both --kubelet-client-key and --kubelet-client-certificate")]
    [Arguments("--kubelet-request-timeout=1s", "")]
    [Arguments("--max-requests-inflight=-1", "--max-requests-inflight can not be negative value")]
    [Arguments("--max-mutating-requests-inflight=-1", "--max-mutating-requests-inflight can not be negative value")]
    [Arguments("--max-requests-inflight=0 --max-mutating-requests-inflight=0", "")]
    [Arguments("--request-timeout=-1s", "--request-timeout can not be negative value")]
    [Arguments("--request-timeout=0s", "")]
    [Arguments("--shutdown-delay-duration=-1s", "--shutdown-delay-duration can not be negative value")]
    [Arguments("--kubelet-request-timeout=0s", "kubelet-request-timeout should be positive")]
    [Arguments("--kubelet-request-timeout=-10s", "kubelet-request-timeout should be positive")]
    [Arguments("--kubelet-metrics-source=summary", "")]
    [Arguments("--kubelet-metrics-source=resource", "")]
    [Arguments("--kubelet-metrics-source=auto", "")]
    [Arguments("--kubelet-metrics-source=Summary",
        "kubelet-metrics-source: Invalid value: \"Summary\": supported values: \"auto\", \"resource\", \"summary\"")]
    public async Task Parse_KubeletClientCase_FirstUpstreamError(string line, string expected)
    {
        var result = FlagParser.Parse(FlagParserFormsTests.Split(line));

        await Assert.That(result.Kind).IsEqualTo(expected.Length == 0 ? FlagParseKind.Run : FlagParseKind.Error);
        await Assert.That(result.Text).IsEqualTo(expected);
    }

    [Test]
    public async Task Validate_KeyAndCertWithDeprecated_ReportsKeyConflict()
    {
        var options = new ServerOptions { KubeletClientKey = "k", KubeletClientCertificate = "c", DeprecatedKubeletCompletelyInsecure = true };

        await Assert.That(ServerOptionsValidator.Validate(options))
            .IsEqualTo("cannot use both --kubelet-client-key and --deprecated-kubelet-completely-insecure");
    }

    [Test]
    public async Task Validate_CertAndKeyWithDeprecated_KeyRuleComesBeforeCertRule()
    {
        var options = new ServerOptions { KubeletClientCertificate = "c", KubeletClientKey = "k", DeprecatedKubeletCompletelyInsecure = true, KubeletInsecureTls = true };

        await Assert.That(ServerOptionsValidator.Validate(options))
            .IsEqualTo("cannot use both --kubelet-client-key and --deprecated-kubelet-completely-insecure");
    }

    [Test]
    [Arguments("--metric-resolution=10s --kubelet-request-timeout=9s", "")]
    [Arguments("--metric-resolution=10s --kubelet-request-timeout=10s",
        "metric-resolution should be larger than kubelet-request-timeout, but metric-resolution value 10s kubelet-request-timeout value 10s provided")]
    [Arguments("--metric-resolution=15s", "")]
    [Arguments("--metric-resolution=11s", "metric-resolution should be larger than kubelet-request-timeout, but metric-resolution value 11s kubelet-request-timeout value 10s provided")]
    [Arguments("--metric-resolution=11.2s --kubelet-request-timeout=10s", "")]
    [Arguments("--metric-resolution=9s --kubelet-request-timeout=1s",
        "metric-resolution should be a time duration at least 10s, but value 9s provided")]
    [Arguments("--metric-resolution=9.999s --kubelet-request-timeout=1s",
        "metric-resolution should be a time duration at least 10s, but value 9.999s provided")]
    [Arguments("--metric-resolution=0", "metric-resolution should be a time duration at least 10s, but value 0s provided")]
    [Arguments("--metric-resolution=1h --kubelet-request-timeout=54m", "")]
    public async Task Parse_ResolutionAgainstTimeout_MirrorsUpstreamRule(string line, string expected)
    {
        var result = FlagParser.Parse(FlagParserFormsTests.Split(line));

        await Assert.That(result.Text).IsEqualTo(expected);
    }

    [Test]
    public async Task Validate_KubeletErrorAndResolutionError_KubeletErrorFirst()
    {
        var options = new ServerOptions { MetricResolution = TimeSpan.FromSeconds(5), KubeletRequestTimeout = TimeSpan.Zero };

        await Assert.That(ServerOptionsValidator.Validate(options)).IsEqualTo("kubelet-request-timeout should be positive");
    }

    [Test]
    [Arguments("--secure-port=0", "")]
    [Arguments("--secure-port=65535", "")]
    [Arguments("--secure-port=65536", "--secure-port 65536 must be between 0 and 65535, inclusive. 0 for turning off secure port")]
    [Arguments("--secure-port=-1", "--secure-port -1 must be between 0 and 65535, inclusive. 0 for turning off secure port")]
    [Arguments("--logging-format=json", "")]
    [Arguments("--logging-format=text", "")]
    [Arguments("--logging-format=xml", "logging-format: Invalid value: \"xml\": Unsupported log format (supported: \"json\", \"text\")")]
    [Arguments("--logging-format=JSON", "logging-format: Invalid value: \"JSON\": Unsupported log format (supported: \"json\", \"text\")")]
    public async Task Parse_ServingAndLogging_Validated(string line, string expected)
    {
        var result = FlagParser.Parse(FlagParserFormsTests.Split(line));

        await Assert.That(result.Text).IsEqualTo(expected);
    }

    [Test]
    public async Task Validate_Defaults_AreValid()
    {
        await Assert.That(ServerOptionsValidator.Validate(new ServerOptions())).IsNull();
    }
}
