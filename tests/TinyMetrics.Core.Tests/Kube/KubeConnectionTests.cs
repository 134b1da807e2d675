using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace TinyMetrics.Kube.Tests;

public sealed class KubeConnectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tm-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private string WriteKubeconfig(string user)
    {
        using var certs = new TestCertificates();
        var path = Path.Combine(_dir, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {B64(certs.Ca.ExportCertificatePem())}
            users:
            - name: test
              user:
            {user}
            contexts:
            - name: test
              context:
                cluster: test
                user: test
            current-context: test
            """);
        return path;
    }

    [Test]
    public async Task Load_KubeconfigWithToken_ReadsServerCaAndToken()
    {
        var path = WriteKubeconfig("    token: kubeconfig-token-1");

        var connection = KubeConnection.Load(path, TimeProvider.System);

        await Assert.That(connection.Server.ToString()).IsEqualTo("https://127.0.0.1:6443/");
        await Assert.That(connection.Tls.CaCertificates!.Count).IsEqualTo(1);
        await Assert.That(connection.Tls.SkipVerify).IsFalse();
        await Assert.That(await connection.Token!.GetTokenAsync(CancellationToken.None)).IsEqualTo("kubeconfig-token-1");
    }

    [Test]
    public async Task Load_KubeconfigWithClientCertificate_LoadsCertificateWithKey()
    {
        using var certs = new TestCertificates();
        using var leaf = certs.IssueLeaf("client", IPAddress.Loopback);
        var certPem = leaf.ExportCertificatePem();
        var keyPem = leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
        var path = WriteKubeconfig($"    client-certificate-data: {B64(certPem)}\n    client-key-data: {B64(keyPem)}");

        var connection = KubeConnection.Load(path, TimeProvider.System);

        await Assert.That(connection.Tls.ClientCertificate).IsNotNull();
        await Assert.That(connection.Tls.ClientCertificate!.HasPrivateKey).IsTrue();
        await Assert.That(connection.Token).IsNull();
    }

    [Test]
    public async Task FromConfiguration_ExplicitToken_OverridesConfiguredOne()
    {
        var config = new KubernetesClientConfiguration { Host = "https://127.0.0.1:6443", AccessToken = "ignored" };

        var connection = KubeConnection.FromConfiguration(config, new StaticTokenSource("explicit"));

        await Assert.That(await connection.Token!.GetTokenAsync(CancellationToken.None)).IsEqualTo("explicit");
    }
}
