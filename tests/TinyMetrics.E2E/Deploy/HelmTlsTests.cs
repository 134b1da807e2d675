using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace TinyMetrics.E2E.Deploy;

/// <summary>
/// The chart's four tls.type values: where the serving certificate comes from, what the container is told,
/// and how both APIServices trust it.
/// </summary>
public sealed class HelmTlsTests
{
    private static readonly string[] ApiServices = ["v1beta1.metrics.k8s.io", "v1.metrics.k8s.io"];
    private static readonly string[] TlsArgs = ["--tls-cert-file=/tmp/tls-certs/tls.crt", "--tls-private-key-file=/tmp/tls-certs/tls.key"];

    [Test]
    public async Task MetricsServer_PodGeneratesItsOwn_NoSecretNoCertificateMounts()
    {
        var manifests = await Helm.TemplateAsync("--set", "tls.type=metrics-server");

        await Assert.That(manifests.Count("Secret") + manifests.Count("Certificate") + manifests.Count("Issuer")).IsEqualTo(0);
        var args = manifests.Container().Strings("args");
        await Assert.That(args).Contains("--cert-dir=/tmp");
        await Assert.That(args.Any(a => a.StartsWith("--tls-", StringComparison.Ordinal))).IsFalse();
        await Assert.That(manifests.Container().Text("volumeMounts")).IsEqualTo("""[{"mountPath":"/tmp","name":"tmp"}]""");
    }

    [Test]
    public async Task Helm_GeneratesCaAndSignedCertificate_SecretMountedAndCaInBothApiServices()
    {
        var manifests = await Helm.TemplateAsync("--set", "tls.type=helm");

        var secret = manifests.Single("Secret", "metrics-server");
        await Assert.That(secret.Text("type")).IsEqualTo("Opaque");
        await Assert.That(secret.At("data").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray())
            .IsEquivalentTo(new[] { "ca.crt", "tls.crt", "tls.key" });
        var caPem = SecretValue(secret, "ca.crt");
        await AssertServingCertificateAsync(secret, caPem);
        foreach (var name in ApiServices)
        {
            var apiService = manifests.Single("APIService", name);
            await Assert.That(Decode(apiService.Text("spec.caBundle"))).IsEqualTo(caPem);
            await Assert.That(apiService.Has("spec.insecureSkipTLSVerify")).IsFalse().Because("the API server rejects insecureSkipTLSVerify with a caBundle");
        }
        await AssertMountedAsync(manifests, "metrics-server");
    }

    [Test]
    public async Task CertManager_IssuerCertificateAndCaInjection()
    {
        var manifests = await Helm.TemplateAsync("--set", "tls.type=cert-manager");

        var issuer = manifests.Single("Issuer", "metrics-server-issuer");
        await Assert.That(issuer.Text("apiVersion")).IsEqualTo("cert-manager.io/v1");
        await Assert.That(issuer.Text("spec")).IsEqualTo("""{"selfSigned":{}}""");
        var certificate = manifests.Single("Certificate", "metrics-server");
        await Assert.That(certificate.Text("metadata.namespace")).IsEqualTo("kube-system");
        await Assert.That(certificate.Text("spec")).IsEqualTo(
            """{"commonName":"metrics-server","dnsNames":["metrics-server.kube-system","metrics-server.kube-system.svc","metrics-server.kube-system.svc.cluster.local"],"issuerRef":{"group":"cert-manager.io","kind":"Issuer","name":"metrics-server-issuer"},"privateKey":{"algorithm":"RSA","size":2048},"secretName":"metrics-server","usages":["server auth","client auth"]}""");
        await Assert.That(manifests.Count("Secret")).IsEqualTo(0);
        foreach (var name in ApiServices)
        {
            var apiService = manifests.Single("APIService", name);
            await Assert.That(apiService.Text("metadata.annotations")).IsEqualTo("""{"cert-manager.io/inject-ca-from":"kube-system/metrics-server"}""");
            await Assert.That(apiService.Has("spec.caBundle")).IsFalse();
            await Assert.That(apiService.Has("spec.insecureSkipTLSVerify")).IsFalse();
        }
        await AssertMountedAsync(manifests, "metrics-server");
    }

    [Test]
    public async Task CertManager_ExistingIssuerAndDurations_NoIssuerRendered()
    {
        var manifests = await Helm.TemplateAsync("--set", "tls.type=cert-manager", "--set", "tls.certManager.existingIssuer.enabled=true",
            "--set", "tls.certManager.existingIssuer.kind=ClusterIssuer", "--set", "tls.certManager.existingIssuer.name=cluster-ca",
            "--set", "tls.certManager.duration=2160h", "--set", "tls.certManager.renewBefore=360h", "--set", "tls.clusterDomain=example.internal");

        await Assert.That(manifests.Count("Issuer")).IsEqualTo(0);
        var certificate = manifests.Single("Certificate", "metrics-server");
        await Assert.That(certificate.Text("spec.issuerRef")).IsEqualTo("""{"group":"cert-manager.io","kind":"ClusterIssuer","name":"cluster-ca"}""");
        await Assert.That(certificate.Text("spec.duration")).IsEqualTo("2160h");
        await Assert.That(certificate.Text("spec.renewBefore")).IsEqualTo("360h");
        await Assert.That(certificate.Strings("spec.dnsNames")).Contains("metrics-server.kube-system.svc.example.internal");
    }

    [Test]
    public async Task ExistingSecret_MountsItAndTrustsTheGivenCaBundle()
    {
        const string pem = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";
        var values = Path.Combine(Path.GetTempPath(), $"tinymetrics-existing-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(values, $"tls:\n  type: existingSecret\n  existingSecret:\n    name: my-serving-cert\napiService:\n  caBundle: |\n    {pem.TrimEnd().Replace("\n", "\n    ", StringComparison.Ordinal)}\n");
        try
        {
            var manifests = await Helm.TemplateAsync("--values", values);

            await Assert.That(manifests.Count("Secret") + manifests.Count("Certificate")).IsEqualTo(0);
            foreach (var name in ApiServices)
            {
                var apiService = manifests.Single("APIService", name);
                await Assert.That(Decode(apiService.Text("spec.caBundle"))).IsEqualTo(pem);
                await Assert.That(apiService.Has("spec.insecureSkipTLSVerify")).IsFalse();
            }
            await AssertMountedAsync(manifests, "my-serving-cert");
        }
        finally
        {
            File.Delete(values);
        }
    }

    [Test]
    public async Task UnknownType_FailsWithTheAllowedValues()
    {
        var result = await Helm.RunAsync("template", Helm.Release, Helm.ChartPath, "--set", "tls.type=self-signed");

        await Assert.That(result.ExitCode).IsNotEqualTo(0);
        await Assert.That(result.Output).Contains("tls.type must be metrics-server, helm, cert-manager or existingSecret");
    }

    private static async Task AssertServingCertificateAsync(JsonElement secret, string caPem)
    {
        using var ca = X509Certificate2.CreateFromPem(caPem);
        // The same call the server loads its --tls-cert-file/--tls-private-key-file pair with.
        using var serving = X509Certificate2.CreateFromPem(SecretValue(secret, "tls.crt"), SecretValue(secret, "tls.key"));
        await Assert.That(serving.HasPrivateKey).IsTrue();
        await Assert.That(serving.MatchesHostname("metrics-server.kube-system.svc")).IsTrue();
        await Assert.That(serving.MatchesHostname("metrics-server.kube-system.svc.cluster.local")).IsTrue();
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        await Assert.That(chain.Build(serving)).IsTrue().Because(string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        await Assert.That(serving.NotAfter - serving.NotBefore).IsGreaterThan(TimeSpan.FromDays(364));
    }

    private static async Task AssertMountedAsync(Manifests manifests, string secretName)
    {
        var container = manifests.Container();
        await Assert.That(container.Strings("args").TakeLast(2).ToArray()).IsEquivalentTo(TlsArgs);
        await Assert.That(container.Text("volumeMounts")).IsEqualTo("""[{"mountPath":"/tmp","name":"tmp"},{"mountPath":"/tmp/tls-certs","name":"certs","readOnly":true}]""");
        await Assert.That(manifests.Single("Deployment", "metrics-server").Text("spec.template.spec.volumes")).IsEqualTo(
            $$$"""[{"emptyDir":{},"name":"tmp"},{"name":"certs","secret":{"secretName":"{{{secretName}}}"}}]""");
    }

    // Secret keys hold dots, so they are looked up directly rather than by a dotted path.
    private static string SecretValue(JsonElement secret, string key) => Decode(secret.At("data").GetProperty(key).GetString()!);

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));
}
