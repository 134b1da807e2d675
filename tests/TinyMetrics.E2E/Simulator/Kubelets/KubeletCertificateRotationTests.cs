using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Simulator.Api;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Kubelets.Tests;

public class KubeletCertificateRotationTests
{
    [Test]
    public async Task RotateKubelets_AddSwitchDrop_OpenConnectionIsClosedAndNewOnesMeetTheNewCa()
    {
        await using var sim = new SimulatorFixture();
        await sim.InitializeAsync();
        var caFile = sim.Host.KubeletCaFile;
        var initial = File.ReadAllText(caFile);
        var presented = new ConcurrentQueue<X509Certificate2>();
        using var client = RecordingClient(presented);
        using var first = await client.GetAsync(sim.Kubelet(0));

        using var add = await sim.RotateAsync("kubelets", "add");
        var added = File.ReadAllText(caFile);
        using var @switch = await sim.RotateAsync("kubelets", "switch");
        using var onOpenConnection = await client.GetAsync(sim.Kubelet(0));
        var handshakesBefore = presented.Count;
        using var onNewConnection = await client.GetAsync(sim.Kubelet(0));
        using var drop = await sim.RotateAsync("kubelets", "drop");

        await Assert.That(initial).IsEqualTo(File.ReadAllText(sim.Host.CaCertificateFile));
        await Assert.That(first.Headers.ConnectionClose ?? false).IsFalse();
        await Assert.That(add.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(Pem.Subjects(added)).IsEqualTo("CN=tinymetrics-sim-kubelet-ca-2, CN=tinymetrics-sim-ca");
        await Assert.That(@switch.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(onOpenConnection.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(onOpenConnection.Headers.ConnectionClose ?? false).IsTrue();
        await Assert.That(handshakesBefore).IsEqualTo(1);
        await Assert.That(onNewConnection.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(onNewConnection.Headers.ConnectionClose ?? false).IsFalse();
        await Assert.That(presented.Select(c => c.Issuer).ToArray()).IsEquivalentTo(new[] { "CN=tinymetrics-sim-ca", "CN=tinymetrics-sim-kubelet-ca-2" });
        await Assert.That(TrustedBy(presented.Last(), added)).IsTrue();
        await Assert.That(drop.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(Pem.Subjects(File.ReadAllText(caFile))).IsEqualTo("CN=tinymetrics-sim-kubelet-ca-2");
    }

    [Test]
    public async Task RotateKubelets_AfterSwitch_EveryNodeServesAndWritesACertificateTheNewCaAloneTrusts()
    {
        await using var sim = new SimulatorFixture();
        await sim.InitializeAsync();
        foreach (var phase in new[] { "add", "switch", "drop" })
        {
            using var response = await sim.RotateAsync("kubelets", phase);
            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        }
        var newCa = File.ReadAllText(sim.Host.KubeletCaFile);
        var presented = new ConcurrentQueue<X509Certificate2>();
        using var client = RecordingClient(presented);

        for (var i = 0; i < SimulatorFixture.Nodes; i++)
        {
            var node = sim.Host.Cluster.Nodes[i];
            using var response = await client.GetAsync(sim.Kubelet(i));
            var file = File.ReadAllText(Path.Combine(sim.Host.Directory, "kubelets", node.Name + ".crt"));

            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
            await Assert.That(presented.Last().ExportCertificatePem()).IsEqualTo(file);
            await Assert.That(TrustedBy(presented.Last(), newCa)).IsTrue();
        }
        await Assert.That(TrustedBy(presented.Last(), File.ReadAllText(sim.Host.CaCertificateFile))).IsFalse();
    }

    // HTTP/1.1 on one pooled connection per node; every certificate a handshake presents is recorded.
    private static HttpClient RecordingClient(ConcurrentQueue<X509Certificate2> presented)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    presented.Enqueue(new X509Certificate2(cert!));
                    return true;
                },
            },
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenAuthenticator.MetricsServerToken);
        return client;
    }

    private static bool TrustedBy(X509Certificate2 leaf, string bundlePem)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.ImportFromPem(bundlePem);
        return chain.Build(leaf);
    }
}
