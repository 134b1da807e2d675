namespace TinyMetrics.Configuration.Tests;

public class FlagParserCompatibilityTests
{
    [Test]
    [Arguments("--profiling --secure-port=1", "profiling")]
    [Arguments("--profiling=false --secure-port=1", "profiling")]
    [Arguments("--contention-profiling --secure-port=1", "contention-profiling")]
    [Arguments("--enable-priority-and-fairness=false --secure-port=1", "enable-priority-and-fairness")]
    [Arguments("--permit-port-sharing --secure-port=1", "permit-port-sharing")]
    [Arguments("--permit-address-sharing --secure-port=1", "permit-address-sharing")]
    [Arguments("--audit-log-compress --secure-port=1", "audit-log-compress")]
    [Arguments("--audit-webhook-batch-throttle-enable --secure-port=1", "audit-webhook-batch-throttle-enable")]
    [Arguments("--log-json-split-stream --secure-port=1", "log-json-split-stream")]
    [Arguments("--shutdown-send-retry-after --secure-port=1", "shutdown-send-retry-after")]
    [Arguments("--feature-gates=A=true,B=false --secure-port=1", "feature-gates")]
    [Arguments("--feature-gates A=true --secure-port=1", "feature-gates")]
    [Arguments("--log-flush-frequency=10s --secure-port=1", "log-flush-frequency")]
    [Arguments("--vmodule=scraper*=4 --secure-port=1", "vmodule")]
    [Arguments("--audit-log-path - --secure-port=1", "audit-log-path")]
    [Arguments("--audit-log-maxage=30 --secure-port=1", "audit-log-maxage")]
    [Arguments("--audit-policy-file=/p.yaml --secure-port=1", "audit-policy-file")]
    [Arguments("--audit-webhook-batch-throttle-qps=2.5 --secure-port=1", "audit-webhook-batch-throttle-qps")]
    [Arguments("--goaway-chance=0.01 --secure-port=1", "goaway-chance")]
    [Arguments("--advertise-address=10.0.0.1 --secure-port=1", "advertise-address")]
    [Arguments("--cors-allowed-origins=a,b --secure-port=1", "cors-allowed-origins")]
    [Arguments("--debug-socket-path=/s --secure-port=1", "debug-socket-path")]
    [Arguments("--tls-curve-preferences=X25519 --secure-port=1", "tls-curve-preferences")]
    [Arguments("--log-text-info-buffer-size=1Ki --secure-port=1", "log-text-info-buffer-size")]
    public async Task Parse_AcceptedIgnoredFlag_WarnsAndKeepsParsing(string line, string flag)
    {
        var options = FlagParserFormsTests.ParseOk(line);

        await Assert.That(options.SecurePort).IsEqualTo(1);
        await Assert.That(options.Warnings).IsEquivalentTo([$"flag --{flag} is accepted for compatibility and ignored"]);
    }

    [Test]
    public async Task Parse_IgnoredFlagRepeated_WarnsOnceInFirstSeenOrder()
    {
        var options = FlagParserFormsTests.ParseOk("--profiling --goaway-chance=0.01 --profiling=false");

        await Assert.That(options.Warnings.Count).IsEqualTo(2);
        await Assert.That(options.Warnings[0]).IsEqualTo("flag --profiling is accepted for compatibility and ignored");
        await Assert.That(options.Warnings[1]).IsEqualTo("flag --goaway-chance is accepted for compatibility and ignored");
    }

    [Test]
    public async Task Parse_InflightLimits_HonouredWithoutWarning()
    {
        var options = FlagParserFormsTests.ParseOk("--max-requests-inflight 800 --max-mutating-requests-inflight=100");

        await Assert.That(options.MaxRequestsInflight).IsEqualTo(800);
        await Assert.That(options.MaxMutatingRequestsInflight).IsEqualTo(100);
        await Assert.That(options.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Parse_RequestTimeoutAndShutdownDelay_HonouredWithoutWarning()
    {
        var options = FlagParserFormsTests.ParseOk("--request-timeout=2m --shutdown-delay-duration=4s");

        await Assert.That(options.RequestTimeout).IsEqualTo(TimeSpan.FromMinutes(2));
        await Assert.That(options.ShutdownDelayDuration).IsEqualTo(TimeSpan.FromSeconds(4));
        await Assert.That(options.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Parse_RequestTimeoutUnset_UpstreamMinute()
    {
        var options = FlagParserFormsTests.ParseOk("--secure-port=1");

        await Assert.That(options.RequestTimeout).IsEqualTo(TimeSpan.FromMinutes(1));
        await Assert.That(options.ShutdownDelayDuration).IsEqualTo(TimeSpan.Zero);
    }

    [Test]
    public async Task Parse_InflightLimitsUnset_UpstreamDefaults()
    {
        var options = FlagParserFormsTests.ParseOk("--secure-port=1");

        await Assert.That(options.MaxRequestsInflight).IsEqualTo(400);
        await Assert.That(options.MaxMutatingRequestsInflight).IsEqualTo(200);
    }

    [Test]
    public async Task Parse_ImplementedHttp2Flags_NoWarning()
    {
        var options = FlagParserFormsTests.ParseOk("--disable-http2-serving --http2-max-streams-per-connection=250");

        await Assert.That(options.DisableHttp2Serving).IsTrue();
        await Assert.That(options.Http2MaxStreamsPerConnection).IsEqualTo(250);
        await Assert.That(options.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Parse_AuthCacheTtls_Stored()
    {
        var options = FlagParserFormsTests.ParseOk(
            "--authentication-token-webhook-cache-ttl=30s --authorization-webhook-cache-authorized-ttl=1m --authorization-webhook-cache-unauthorized-ttl=5s");

        await Assert.That(options.AuthenticationTokenWebhookCacheTtl).IsEqualTo(TimeSpan.FromSeconds(30));
        await Assert.That(options.AuthorizationWebhookCacheAuthorizedTtl).IsEqualTo(TimeSpan.FromMinutes(1));
        await Assert.That(options.AuthorizationWebhookCacheUnauthorizedTtl).IsEqualTo(TimeSpan.FromSeconds(5));
    }
}
