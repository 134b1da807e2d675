using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
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

    private (string Cert, string Key) WriteClientPair(string commonName = "tinymetrics-client")
    {
        using var leaf = _kubeletCa.IssueLeaf(commonName, IPAddress.Loopback);
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

        await Assert.That(credentials.CaFile!.Current[0].Subject).IsEqualTo("CN=kubelet-ca");
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

    [Test]
    public async Task ScrapeAsync_KubeletCaFileRotated_NewConnectionsTrustTheNewCa()
    {
        using var rotatedCa = new TestCertificates("kubelet-ca-2");
        await using var rotated = new TestKubelet(rotatedCa, "127.0.0.19");
        var options = new KubeletClientOptions { CaFile = _kubeletCa.WriteCaPem(_dir) };
        using var client = new KubeletClient(KubeletCredentials.From(Connection(), options), options);
        var scraper = Scraper(client);

        var before = await scraper.ScrapeAsync([rotated.Node("node-b")], Deadline());
        rotatedCa.WriteCaPem(_dir);
        var reloaded = client.Credentials.CaFile!.Check(NullLogger.Instance);
        var after = await scraper.ScrapeAsync([rotated.Node("node-b")], Deadline());

        await Assert.That(before[0].Error).Contains("SSL");
        await Assert.That(reloaded).IsTrue();
        await Assert.That(after[0].Error).IsNull();
    }

    [Test]
    public async Task ScrapeAsync_KubeletCaFile_CertificateForAnotherAddressIsRejected()
    {
        // Same CA, same chain; only the IP the certificate names differs from the one dialled.
        await using var wrongName = new TestKubelet(_kubeletCa, "127.0.0.20", certifiedAddress: "127.0.0.21");
        await using var rightName = new TestKubelet(_kubeletCa, "127.0.0.24");
        var options = new KubeletClientOptions { CaFile = _kubeletCa.WriteCaPem(_dir) };
        using var client = new KubeletClient(KubeletCredentials.From(Connection(), options), options);
        var errors = await HandshakeErrorsAsync(wrongName.Server.Port, "127.0.0.20");
        var probed = wrongName.Server.AcceptedConnections;

        var results = await Scraper(client).ScrapeAsync([wrongName.Node("node-c"), rightName.Node("node-f")], Deadline());

        await Assert.That(errors).IsEqualTo(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch);
        await Assert.That(results[0].Error!).Contains("The SSL connection could not be established");
        await Assert.That(wrongName.Server.AcceptedConnections).IsGreaterThan(probed);
        await Assert.That(wrongName.Server.Requests).IsEmpty();
        await Assert.That(results[1].Error).IsNull();
    }

    // What the platform reports for a certificate when only the CA file's root is trusted: an independent check
    // that the fixture differs from a good kubelet by its name alone.
    private async Task<System.Net.Security.SslPolicyErrors> HandshakeErrorsAsync(int port, string address)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Parse(address), port);
        var seen = System.Net.Security.SslPolicyErrors.None;
        await using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, e) =>
        {
            seen = e;
            return true;
        });
        await ssl.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = address,
            CertificateChainPolicy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
            {
                TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { _kubeletCa.Ca },
                RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            },
        });
        return seen;
    }

    [Test]
    public async Task ScrapeAsync_ClientCertificateRotated_NextConnectionPresentsTheNewOne()
    {
        var (cert, key) = WriteClientPair();
        await using var first = new TestKubelet(_kubeletCa, "127.0.0.22", askClientCertificate: true);
        await using var second = new TestKubelet(_kubeletCa, "127.0.0.23", askClientCertificate: true);
        var options = new KubeletClientOptions { CaFile = _kubeletCa.WriteCaPem(_dir), ClientCertificateFile = cert, ClientKeyFile = key };
        using var client = new KubeletClient(KubeletCredentials.From(Connection(), options), options);
        var scraper = Scraper(client);

        await scraper.ScrapeAsync([first.Node("node-d")], Deadline());
        WriteClientPair("tinymetrics-client-rotated");
        var reloaded = client.Credentials.ClientCertificateFiles!.Check(NullLogger.Instance);
        var results = await scraper.ScrapeAsync([second.Node("node-e")], Deadline());

        await Assert.That(reloaded).IsTrue();
        await Assert.That(results[0].Error).IsNull();
        await Assert.That(first.Server.ClientCertificates.Single()).IsEqualTo("CN=tinymetrics-client");
        await Assert.That(second.Server.ClientCertificates.Single()).IsEqualTo("CN=tinymetrics-client-rotated");
    }

    private static Scraper Scraper(KubeletClient client) =>
        new(client, new ScrapeOptions { PreferredAddressTypes = ["InternalIP"], UseNodeStatusPort = true }, TimeProvider.System);

    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;
}
