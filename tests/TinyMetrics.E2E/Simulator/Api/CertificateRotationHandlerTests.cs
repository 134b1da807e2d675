using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Api.Tests;

/// <summary>The rotation control endpoints on a simulator of each test's own (every test moves its CAs).</summary>
public class CertificateRotationHandlerTests
{
    [Test]
    [Arguments("front-proxy", "switch")]
    [Arguments("front-proxy", "drop")]
    [Arguments("kubelets", "switch")]
    [Arguments("kubelets", "drop")]
    public async Task Rotate_StepBeforeItsTurn_Is409StatusAndChangesNothing(string target, string phase)
    {
        await using var sim = await StartAsync();
        var files = Snapshot(sim);

        using var response = await sim.RotateAsync(target, phase);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Conflict);
        await Assert.That(body.RootElement.GetProperty("kind").GetString()).IsEqualTo("Status");
        await Assert.That(body.RootElement.GetProperty("reason").GetString()).IsEqualTo("Conflict");
        await Assert.That(body.RootElement.GetProperty("message").GetString()).Contains($"cannot {phase}: the rotation is idle");
        await Assert.That(Snapshot(sim)).IsEqualTo(files);
    }

    [Test]
    [Arguments("front-proxy")]
    [Arguments("kubelets")]
    public async Task Rotate_AddTwice_SecondIs409(string target)
    {
        await using var sim = await StartAsync();

        using var first = await sim.RotateAsync(target, "add");
        using var second = await sim.RotateAsync(target, "add");

        await Assert.That(first.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(second.StatusCode).IsEqualTo(HttpStatusCode.Conflict);
    }

    [Test]
    [Arguments(TokenAuthenticator.UnprivilegedToken, "add", HttpStatusCode.Forbidden)]
    [Arguments(TokenAuthenticator.MetricsServerToken, "add", HttpStatusCode.Forbidden)]
    [Arguments(TokenAuthenticator.AdminToken, "rewind", HttpStatusCode.BadRequest)]
    public async Task Rotate_NonAdminOrUnknownPhase_IsRefusedAndChangesNothing(string token, string phase, HttpStatusCode expected)
    {
        await using var sim = await StartAsync();
        var files = Snapshot(sim);

        using var frontProxy = await sim.RotateAsync("front-proxy", phase, token);
        using var kubelets = await sim.RotateAsync("kubelets", phase, token);

        await Assert.That(frontProxy.StatusCode).IsEqualTo(expected);
        await Assert.That(kubelets.StatusCode).IsEqualTo(expected);
        await Assert.That(Snapshot(sim)).IsEqualTo(files);
    }

    [Test]
    public async Task RotateFrontProxy_AddSwitchDrop_BundleThenNewClientCertificateThenNewCaAlone()
    {
        await using var fixture = new ProxyFixture();
        await fixture.InitializeAsync();
        var sim = fixture.Simulator;
        var caFile = Path.Combine(sim.Host.Directory, "front-proxy-ca.crt");
        var clientFile = Path.Combine(sim.Host.Directory, "front-proxy-client.crt");
        var oldClient = File.ReadAllText(clientFile);

        using var add = await sim.RotateAsync("front-proxy", "add");
        var addedIssuer = await ProxiedClientIssuerAsync(sim);
        var addedConfigMap = await RequestHeaderCaAsync(sim);
        var addedClient = File.ReadAllText(clientFile);
        using var @switch = await sim.RotateAsync("front-proxy", "switch");
        var switchedIssuer = await ProxiedClientIssuerAsync(sim);
        using var drop = await sim.RotateAsync("front-proxy", "drop");

        await Assert.That(add.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await add.Content.ReadAsStringAsync()).StartsWith("front-proxy: new CA trusted beside the old one");
        await Assert.That(Pem.Subjects(addedConfigMap)).IsEqualTo("CN=tinymetrics-sim-front-proxy-ca-2, CN=tinymetrics-sim-front-proxy-ca");
        await Assert.That(addedIssuer).IsEqualTo("CN=tinymetrics-sim-front-proxy-ca");
        await Assert.That(addedClient).IsEqualTo(oldClient);
        await Assert.That(@switch.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(switchedIssuer).IsEqualTo("CN=tinymetrics-sim-front-proxy-ca-2");
        await Assert.That(Pem.Issuers(File.ReadAllText(clientFile))).IsEqualTo("CN=tinymetrics-sim-front-proxy-ca-2");
        await Assert.That(drop.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(Pem.Subjects(File.ReadAllText(caFile))).IsEqualTo("CN=tinymetrics-sim-front-proxy-ca-2");
        await Assert.That(await RequestHeaderCaAsync(sim)).IsEqualTo(File.ReadAllText(caFile) + "\n");
    }

    [Test]
    public async Task RotateFrontProxy_Add_FileAndConfigMapHoldTheSameBundle()
    {
        await using var sim = await StartAsync();
        var before = await RequestHeaderCaAsync(sim);

        using var add = await sim.RotateAsync("front-proxy", "add");
        var file = File.ReadAllText(sim.Host.FrontProxyCaFile);

        await Assert.That(await RequestHeaderCaAsync(sim)).IsEqualTo(file + "\n");
        await Assert.That(before).IsNotEqualTo(file + "\n");
        await Assert.That(Pem.Subjects(file)).IsEqualTo("CN=tinymetrics-sim-front-proxy-ca-2, CN=tinymetrics-sim-front-proxy-ca");
        // The key beside a bundle belongs to its first certificate, the new CA (CreateFromPem refuses a mismatch).
        using var paired = X509Certificate2.CreateFromPem(file, File.ReadAllText(Path.Combine(sim.Host.Directory, "front-proxy-ca.key")));
        await Assert.That(paired.Subject).IsEqualTo("CN=tinymetrics-sim-front-proxy-ca-2");
    }

    private static async Task<SimulatorFixture> StartAsync()
    {
        var sim = new SimulatorFixture();
        await sim.InitializeAsync();
        return sim;
    }

    private static async Task<string> ProxiedClientIssuerAsync(SimulatorFixture sim)
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken);
        using var echo = JsonDocument.Parse(await client.GetStringAsync(sim.Api("/apis/metrics.k8s.io/v1beta1/pods")));
        return echo.RootElement.GetProperty("clientIssuer").GetString()!;
    }

    private static async Task<string> RequestHeaderCaAsync(SimulatorFixture sim)
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken);
        using var body = JsonDocument.Parse(await client.GetStringAsync(
            sim.Api("/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication")));
        return body.RootElement.GetProperty("data").GetProperty("requestheader-client-ca-file").GetString()!;
    }

    private static string Snapshot(SimulatorFixture sim)
    {
        var dir = sim.Host.Directory;
        return string.Join("|", new[] { "front-proxy-ca.crt", "front-proxy-client.crt", "kubelet-ca.crt" }
            .Concat(sim.Host.Cluster.Nodes.Select(n => Path.Combine("kubelets", n.Name + ".crt")))
            .Select(f => File.ReadAllText(Path.Combine(dir, f))));
    }
}
