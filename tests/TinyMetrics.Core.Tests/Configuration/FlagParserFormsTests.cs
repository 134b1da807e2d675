namespace TinyMetrics.Configuration.Tests;

public class FlagParserFormsTests
{
    [Test]
    [Arguments("--kubeconfig=/k/config")]
    [Arguments("--kubeconfig /k/config")]
    [Arguments("--kubeconfig=/k/config --secure-port=1")]
    [Arguments("--secure-port=1 --kubeconfig /k/config")]
    public async Task Parse_LongForms_SetString(string line)
    {
        var options = ParseOk(line);

        await Assert.That(options.Kubeconfig).IsEqualTo("/k/config");
    }

    [Test]
    [Arguments("--kubelet-insecure-tls", true)]
    [Arguments("--kubelet-insecure-tls=true", true)]
    [Arguments("--kubelet-insecure-tls=false", false)]
    [Arguments("--kubelet-insecure-tls=1", true)]
    [Arguments("--kubelet-insecure-tls=t", true)]
    [Arguments("--kubelet-insecure-tls=T", true)]
    [Arguments("--kubelet-insecure-tls=TRUE", true)]
    [Arguments("--kubelet-insecure-tls=True", true)]
    [Arguments("--kubelet-insecure-tls=0", false)]
    [Arguments("--kubelet-insecure-tls=f", false)]
    [Arguments("--kubelet-insecure-tls=F", false)]
    [Arguments("--kubelet-insecure-tls=FALSE", false)]
    [Arguments("--kubelet-insecure-tls=False", false)]
    [Arguments("--kubelet-insecure-tls --kubelet-insecure-tls=false", false)]
    public async Task Parse_BooleanForms_FollowStrconvParseBool(string line, bool expected)
    {
        var options = ParseOk(line);

        await Assert.That(options.KubeletInsecureTls).IsEqualTo(expected);
    }

    [Test]
    [Arguments("-v=4", 4)]
    [Arguments("-v 4", 4)]
    [Arguments("-v4", 4)]
    [Arguments("--v=4", 4)]
    [Arguments("--v 4", 4)]
    [Arguments("--v=10", 10)]
    [Arguments("-v=2 -v=5", 5)]
    [Arguments("", 0)]
    public async Task Parse_VerbosityForms_SetVerbosity(string line, int expected)
    {
        var options = ParseOk(line);

        await Assert.That(options.Verbosity).IsEqualTo(expected);
    }

    [Test]
    [Arguments("-l", "sel=1", "sel=1")]
    [Arguments("-l=sel!=2", null, "sel!=2")]
    [Arguments("-lsel=3", null, "sel=3")]
    [Arguments("--node-selector", "  a=b,c!=d ", "a=b,c!=d")]
    [Arguments("--node-selector=metrics-server-skip!=true", null, "metrics-server-skip!=true")]
    public async Task Parse_NodeSelectorForms_SetTrimmedSelector(string first, string? second, string expected)
    {
        string[] args = second is null ? [first] : [first, second];

        var result = FlagParser.Parse(args);

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Run);
        await Assert.That(result.Options!.NodeSelector).IsEqualTo(expected);
    }

    [Test]
    [Arguments("--kubelet-port=10255", 10255)]
    [Arguments("--kubelet-port 4443", 4443)]
    [Arguments("--kubelet-port=0x2800", 10240)]
    [Arguments("--kubelet-port=0o17", 15)]
    [Arguments("--kubelet-port=017", 15)]
    [Arguments("--kubelet-port=10_250", 10250)]
    [Arguments("--kubelet-port=+7", 7)]
    public async Task Parse_IntForms_FollowStrconvParseIntBase0(string line, int expected)
    {
        var options = ParseOk(line);

        await Assert.That(options.KubeletPort).IsEqualTo(expected);
    }

    [Test]
    [Arguments("--metric-resolution=15s", 150_000_000L)]
    [Arguments("--metric-resolution 1m0s", 600_000_000L)]
    [Arguments("--metric-resolution=1h30m", 54_000_000_000L)]
    [Arguments("--metric-resolution=12.5s", 125_000_000L)]
    public async Task Parse_DurationForms_SetTimeSpan(string line, long expectedTicks)
    {
        var options = ParseOk(line);

        await Assert.That(options.MetricResolution.Ticks).IsEqualTo(expectedTicks);
    }

    [Test]
    [Arguments("--kubelet-preferred-address-types=InternalIP", "InternalIP")]
    [Arguments("--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname", "InternalIP|ExternalIP|Hostname")]
    [Arguments("--kubelet-preferred-address-types=InternalIP --kubelet-preferred-address-types=Hostname", "InternalIP|Hostname")]
    [Arguments("--kubelet-preferred-address-types=A,B --kubelet-preferred-address-types C", "A|B|C")]
    [Arguments("--kubelet-preferred-address-types=", "")]
    [Arguments("--kubelet-preferred-address-types=\"A,B\",C", "A,B|C")]
    [Arguments("--kubelet-preferred-address-types=A,,B", "A||B")]
    [Arguments("", "Hostname|InternalDNS|InternalIP|ExternalDNS|ExternalIP")]
    public async Task Parse_StringSliceForms_ReplaceDefaultThenAppend(string line, string expected)
    {
        var options = ParseOk(line);

        await Assert.That(string.Join('|', options.KubeletPreferredAddressTypes)).IsEqualTo(expected);
    }

    [Test]
    public async Task Parse_AlwaysAllowPathsSet_ReplacesDefaultList()
    {
        var options = ParseOk("--authorization-always-allow-paths=/metrics");

        await Assert.That(options.AuthorizationAlwaysAllowPaths).IsEquivalentTo(["/metrics"]);
    }

    [Test]
    [Arguments("--bind-address=127.0.0.1", "127.0.0.1")]
    [Arguments("--bind-address ::1", "::1")]
    [Arguments("--bind-address=::", "::")]
    [Arguments("--bind-address=0:0:0:0:0:0:0:0", "::")]
    [Arguments("--bind-address=fd00::a:1", "fd00::a:1")]
    [Arguments("", "0.0.0.0")]
    [Arguments("--bind-address=", "0.0.0.0")]
    [Arguments("--bind-address=::1 --bind-address=", "::1")]
    public async Task Parse_BindAddress_ParsesIp(string line, string expected)
    {
        var options = ParseOk(line);

        await Assert.That(options.BindAddress.ToString()).IsEqualTo(expected);
    }

    [Test]
    public async Task Parse_UnderscoreInName_NormalizedToDash()
    {
        var options = ParseOk("--kubelet_port=1234");

        await Assert.That(options.KubeletPort).IsEqualTo(1234);
    }

    [Test]
    public async Task Parse_DoubleDashThenNothing_EndsFlagsCleanly()
    {
        var options = ParseOk("--secure-port=1 --");

        await Assert.That(options.SecurePort).IsEqualTo(1);
    }

    [Test]
    public async Task Parse_NoArguments_GivesUpstreamDefaults()
    {
        var options = ParseOk("");

        await Assert.That(options).IsEqualTo(new ServerOptions
        {
            KubeletPreferredAddressTypes = options.KubeletPreferredAddressTypes,
            TlsCipherSuites = options.TlsCipherSuites,
            RequestheaderAllowedNames = options.RequestheaderAllowedNames,
            RequestheaderUsernameHeaders = options.RequestheaderUsernameHeaders,
            RequestheaderGroupHeaders = options.RequestheaderGroupHeaders,
            RequestheaderExtraHeadersPrefix = options.RequestheaderExtraHeadersPrefix,
            RequestheaderUidHeaders = options.RequestheaderUidHeaders,
            AuthorizationAlwaysAllowPaths = options.AuthorizationAlwaysAllowPaths,
            Warnings = options.Warnings,
        });
        await Assert.That(options.MetricResolution).IsEqualTo(TimeSpan.FromSeconds(60));
        await Assert.That(options.KubeletRequestTimeout).IsEqualTo(TimeSpan.FromSeconds(10));
        await Assert.That(options.SecurePort).IsEqualTo(443);
        await Assert.That(options.KubeletPort).IsEqualTo(10250);
        await Assert.That(options.CertDir).IsEqualTo("apiserver.local.config/certificates");
        await Assert.That(options.LoggingFormat).IsEqualTo("text");
        await Assert.That(options.RequestheaderUsernameHeaders).IsEquivalentTo(["x-remote-user"]);
        await Assert.That(options.RequestheaderGroupHeaders).IsEquivalentTo(["x-remote-group"]);
        await Assert.That(options.RequestheaderExtraHeadersPrefix).IsEquivalentTo(["x-remote-extra-"]);
        await Assert.That(options.AuthorizationAlwaysAllowPaths).IsEquivalentTo(["/healthz", "/readyz", "/livez"]);
        await Assert.That(options.Warnings.Count).IsEqualTo(0);
    }

    internal static ServerOptions ParseOk(string line)
    {
        var result = FlagParser.Parse(Split(line));
        if (result.Options is null)
            throw new InvalidOperationException($"expected options for '{line}', got {result.Kind}: {result.Text}");
        return result.Options;
    }

    internal static string[] Split(string line) => line.Length == 0 ? [] : line.Split(' ');
}
