namespace TinyMetrics.Configuration.Tests;

// Command lines real deployments pass: metrics-server's manifests and test components, its Helm chart's defaults,
// and front-proxy and kubelet TLS setups.
public class FlagParserManifestTests
{
    private static readonly string[] BaseManifestArgs =
    [
        "--cert-dir=/tmp",
        "--secure-port=10250",
        "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
        "--kubelet-use-node-status-port",
        "--metric-resolution=15s",
    ];

    [Test]
    public async Task Parse_BaseManifestArgs_CleanWithManifestValues()
    {
        var result = FlagParser.Parse(BaseManifestArgs);

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Run);
        var options = result.Options!;
        await Assert.That(options.CertDir).IsEqualTo("/tmp");
        await Assert.That(options.SecurePort).IsEqualTo(10250);
        await Assert.That(options.KubeletPreferredAddressTypes).IsEquivalentTo(["InternalIP", "ExternalIP", "Hostname"]);
        await Assert.That(options.KubeletUseNodeStatusPort).IsTrue();
        await Assert.That(options.MetricResolution).IsEqualTo(TimeSpan.FromSeconds(15));
        await Assert.That(options.KubeletRequestTimeout).IsEqualTo(TimeSpan.FromSeconds(10));
        await Assert.That(options.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Parse_TestComponentArgs_AddInsecureTlsVerbosityAndSelector()
    {
        string[] args = [.. BaseManifestArgs, "--kubelet-insecure-tls", "--v=4", "--node-selector=metrics-server-skip!=true"];

        var result = FlagParser.Parse(args);

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Run);
        await Assert.That(result.Options!.KubeletInsecureTls).IsTrue();
        await Assert.That(result.Options.Verbosity).IsEqualTo(4);
        await Assert.That(result.Options.NodeSelector).IsEqualTo("metrics-server-skip!=true");
        await Assert.That(result.Options.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Parse_ChartDefaultArgsWithMetricsAndTls_Clean()
    {
        string[] args =
        [
            "--secure-port=10250",
            "--cert-dir=/tmp",
            "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
            "--kubelet-use-node-status-port",
            "--metric-resolution=15s",
            "--authorization-always-allow-paths=/metrics",
            "--tls-cert-file=/tmp/tls-certs/tls.crt",
            "--tls-private-key-file=/tmp/tls-certs/tls.key",
        ];

        var result = FlagParser.Parse(args);

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Run);
        await Assert.That(result.Options!.AuthorizationAlwaysAllowPaths).IsEquivalentTo(["/metrics"]);
        await Assert.That(result.Options.TlsCertFile).IsEqualTo("/tmp/tls-certs/tls.crt");
        await Assert.That(result.Options.TlsPrivateKeyFile).IsEqualTo("/tmp/tls-certs/tls.key");
    }

    [Test]
    public async Task Parse_FrontProxyAndKubeletTlsArgs_AllStored()
    {
        string[] args =
        [
            "--requestheader-client-ca-file=/pki/front-proxy-ca.crt",
            "--requestheader-allowed-names=front-proxy-client,aggregator",
            "--requestheader-username-headers=X-Remote-User",
            "--requestheader-group-headers=X-Remote-Group",
            "--requestheader-extra-headers-prefix=X-Remote-Extra-",
            "--client-ca-file=/pki/ca.crt",
            "--kubelet-certificate-authority=/pki/kubelet-ca.crt",
            "--kubelet-client-certificate=/pki/client.crt",
            "--kubelet-client-key=/pki/client.key",
            "--tls-min-version=VersionTLS12",
            "--tls-cipher-suites=TLS_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "--authentication-kubeconfig=/etc/a.conf",
            "--authorization-kubeconfig=/etc/z.conf",
            "--authentication-skip-lookup",
            "--authentication-tolerate-lookup-failure",
            "--shutdown-delay-duration=20s",
            "--logging-format=json",
        ];

        var result = FlagParser.Parse(args);

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Run);
        var o = result.Options!;
        await Assert.That(o.RequestheaderClientCaFile).IsEqualTo("/pki/front-proxy-ca.crt");
        await Assert.That(o.RequestheaderAllowedNames).IsEquivalentTo(["front-proxy-client", "aggregator"]);
        await Assert.That(o.RequestheaderUsernameHeaders).IsEquivalentTo(["X-Remote-User"]);
        await Assert.That(o.RequestheaderGroupHeaders).IsEquivalentTo(["X-Remote-Group"]);
        await Assert.That(o.RequestheaderExtraHeadersPrefix).IsEquivalentTo(["X-Remote-Extra-"]);
        await Assert.That(o.ClientCaFile).IsEqualTo("/pki/ca.crt");
        await Assert.That(o.KubeletCertificateAuthority).IsEqualTo("/pki/kubelet-ca.crt");
        await Assert.That(o.KubeletClientCertificate).IsEqualTo("/pki/client.crt");
        await Assert.That(o.KubeletClientKey).IsEqualTo("/pki/client.key");
        await Assert.That(o.TlsMinVersion).IsEqualTo("VersionTLS12");
        await Assert.That(o.TlsCipherSuites).IsEquivalentTo(["TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]);
        await Assert.That(o.AuthenticationKubeconfig).IsEqualTo("/etc/a.conf");
        await Assert.That(o.AuthorizationKubeconfig).IsEqualTo("/etc/z.conf");
        await Assert.That(o.AuthenticationSkipLookup).IsTrue();
        await Assert.That(o.AuthenticationTolerateLookupFailure).IsTrue();
        await Assert.That(o.ShutdownDelayDuration).IsEqualTo(TimeSpan.FromSeconds(20));
        await Assert.That(o.LoggingFormat).IsEqualTo("json");
    }
}
