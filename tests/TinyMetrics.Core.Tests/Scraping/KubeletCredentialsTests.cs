using System.Net;
using TinyMetrics.Kube;
using TinyMetrics.Kube.Tests;

namespace TinyMetrics.Scraping.Tests;

public sealed class KubeletCredentialsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tm-kubelet-creds-").FullName;
    private readonly TestCertificates _clusterCa = new("cluster-ca");
    private readonly TestCertificates _kubeletCa = new("kubelet-ca");

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        _clusterCa.Dispose();
        _kubeletCa.Dispose();
    }

    private KubeConnection Connection() =>
        new(new Uri("https://127.0.0.1:6443"), new TlsSettings(_clusterCa.CaCollection, null, SkipVerify: false), new StaticTokenSource("sa-token"));

    private (string Cert, string Key) WriteClientPair()
    {
        using var leaf = _kubeletCa.IssueLeaf("tinymetrics-client", IPAddress.Loopback);
        var cert = Path.Combine(_dir, "client.crt");
        var key = Path.Combine(_dir, "client.key");
        File.WriteAllText(cert, leaf.ExportCertificatePem());
        File.WriteAllText(key, System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.GetECDsaPrivateKey(leaf)!.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    [Test]
    public async Task From_NoFlags_UsesClusterCaAndToken()
    {
        var credentials = KubeletCredentials.From(Connection(), new KubeletClientOptions());

        await Assert.That(credentials.Tls.CaCertificates![0].Subject).IsEqualTo("CN=cluster-ca");
        await Assert.That(credentials.Tls.SkipVerify).IsFalse();
        await Assert.That(await credentials.Token!.GetTokenAsync(CancellationToken.None)).IsEqualTo("sa-token");
    }

    [Test]
    public async Task From_CaFile_ReplacesClusterCa()
    {
        var credentials = KubeletCredentials.From(Connection(), new KubeletClientOptions { CaFile = _kubeletCa.WriteCaPem(_dir) });

        await Assert.That(credentials.Tls.CaCertificates![0].Subject).IsEqualTo("CN=kubelet-ca");
    }

    [Test]
    public async Task From_InsecureTls_SkipsVerificationButKeepsToken()
    {
        var credentials = KubeletCredentials.From(Connection(), new KubeletClientOptions { InsecureTls = true });

        await Assert.That(credentials.Tls.SkipVerify).IsTrue();
        await Assert.That(credentials.Tls.CaCertificates).IsNull();
        await Assert.That(credentials.Token).IsNotNull();
    }

    [Test]
    public async Task From_CompletelyInsecure_DropsAllCredentials()
    {
        var (cert, key) = WriteClientPair();

        var credentials = KubeletCredentials.From(Connection(), new KubeletClientOptions { CompletelyInsecure = true, ClientCertificateFile = cert, ClientKeyFile = key });

        await Assert.That(credentials.Token).IsNull();
        await Assert.That(credentials.Tls.ClientCertificate).IsNull();
    }

    [Test]
    public async Task ScrapeAsync_ClientCertificateFlags_PresentedToKubelet()
    {
        var (cert, key) = WriteClientPair();
        await using var kubelet = new TestKubelet(_kubeletCa, "127.0.0.18", askClientCertificate: true);
        var options = new KubeletClientOptions { CaFile = _kubeletCa.WriteCaPem(_dir), ClientCertificateFile = cert, ClientKeyFile = key };
        using var client = new KubeletClient(KubeletCredentials.From(Connection(), options), options);
        var scraper = new Scraper(client, new ScrapeOptions { PreferredAddressTypes = ["InternalIP"], UseNodeStatusPort = true }, TimeProvider.System);

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        await Assert.That(results[0].Error).IsNull();
        await Assert.That(kubelet.Server.ClientCertificates.Single()).IsEqualTo("CN=tinymetrics-client");
    }
}
