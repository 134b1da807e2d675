using System.Net;
using System.Text.Json;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Api.Tests;

[ClassDataSource<ProxyFixture>(Shared = SharedType.PerClass)]
public class AggregationProxyTests(ProxyFixture fixture)
{
    private SimulatorFixture Sim => fixture.Simulator;

    [Test]
    public async Task Proxy_AdminCaller_ForwardsIdentityWithFrontProxyCertificate()
    {
        using var client = Sim.Client(TokenAuthenticator.AdminToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, Sim.Api("/apis/metrics.k8s.io/v1beta1/namespaces/app-a/pods?labelSelector=app%3Dweb"));
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.kubernetes.protobuf, */*");
        request.Headers.TryAddWithoutValidation("X-Remote-User", "mallory");
        request.Headers.TryAddWithoutValidation("X-Remote-Extra-Scopes", "evil");
        using var response = await client.SendAsync(request);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = echo.RootElement;

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(root.GetProperty("path").GetString()).IsEqualTo("/apis/metrics.k8s.io/v1beta1/namespaces/app-a/pods");
        await Assert.That(root.GetProperty("query").GetString()).IsEqualTo("?labelSelector=app%3Dweb");
        await Assert.That(root.GetProperty("accept").GetString()).IsEqualTo("application/vnd.kubernetes.protobuf, */*");
        await Assert.That(root.GetProperty("authorization").GetString()).IsEqualTo("");
        await Assert.That(root.GetProperty("user").GetString()).IsEqualTo("admin");
        await Assert.That(root.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!))
            .IsEquivalentTo(new[] { "system:masters", "system:authenticated" });
        await Assert.That(root.GetProperty("extra").GetString()).IsEqualTo("");
        await Assert.That(root.GetProperty("client").GetString()).IsEqualTo("CN=front-proxy-client");
        await Assert.That(root.GetProperty("clientIssuer").GetString()).IsEqualTo("CN=tinymetrics-sim-front-proxy-ca");
    }

    [Test]
    public async Task Proxy_V1Path_AlsoForwardedAndStatusPassedThrough()
    {
        using var client = Sim.Client(TokenAuthenticator.MetricsServerToken);
        using var response = await client.GetAsync(Sim.Api("/apis/metrics.k8s.io/v1/nodes/teapot"));
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That((int)response.StatusCode).IsEqualTo(418);
        await Assert.That(echo.RootElement.GetProperty("user").GetString()).IsEqualTo(TokenAuthenticator.MetricsServerUser);
    }

    [Test]
    public async Task Proxy_NoToken_401BeforeForwarding()
    {
        using var client = Sim.Client(null);
        using var response = await client.GetAsync(Sim.Api("/apis/metrics.k8s.io/v1beta1/nodes"));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
    }
}

[ClassDataSource<SimulatorFixture>(Shared = SharedType.PerClass)]
public class AggregationProxyWithoutUpstreamTests(SimulatorFixture sim)
{
    [Test]
    public async Task Proxy_NoMetricsServer_503ServiceUnavailable()
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken);
        using var response = await client.GetAsync(sim.Api("/apis/metrics.k8s.io/v1beta1/nodes"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.ServiceUnavailable);
        await Assert.That(body.RootElement.GetProperty("message").GetString()).IsEqualTo("service unavailable");
    }

    [Test]
    public async Task Proxy_MetricsServerDown_503ServiceUnavailable()
    {
        await using var down = new SimulatorFixture(new Uri("https://127.0.0.1:1"));
        await down.InitializeAsync();
        using var client = down.Client(TokenAuthenticator.AdminToken);
        using var response = await client.GetAsync(down.Api("/apis/metrics.k8s.io/v1beta1/pods"));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.ServiceUnavailable);
    }
}
