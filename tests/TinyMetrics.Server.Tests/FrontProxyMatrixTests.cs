using System.Net;
using System.Text.Json;

namespace TinyMetrics.Tests;

/// <summary>
/// Who gets in by client certificate, over real TLS against the real server. As upstream: anonymous is
/// authorized (and denied, 403); a certificate that no CA vouches for fails authentication (401); the
/// allowed proxy with a system:masters user is served.
/// </summary>
[NotInParallel("in-process-server")]
public sealed class FrontProxyMatrixTests
{
    private const string ResourceList = "/apis/metrics.k8s.io/v1beta1";

    [Test]
    [Arguments(null, "admin", HttpStatusCode.Forbidden)]
    [Arguments("foreign", "admin", HttpStatusCode.Unauthorized)]
    [Arguments("stranger", "admin", HttpStatusCode.Unauthorized)]
    [Arguments("proxy", null, HttpStatusCode.Unauthorized)]
    [Arguments("proxy", "admin", HttpStatusCode.OK)]
    public async Task Get_ByClientCertificateAndUser_OnlyAllowedProxyWithAuthorizedUserIsServed(string? certificate, string? user, HttpStatusCode expected)
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, ResourceList);
        if (user is not null)
            request.Headers.Add("X-Remote-User", user);
        request.Headers.Add("X-Remote-Group", "system:masters");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(expected).Because(body);
        using var json = JsonDocument.Parse(body);
        await Assert.That(json.RootElement.GetProperty("kind").GetString()).IsEqualTo(expected == HttpStatusCode.OK ? "APIResourceList" : "Status");
    }

    [Test]
    public async Task Requests_AsAllowedProxy_RoutesAnswerWithUpstreamStatusBodies()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client("proxy");
        client.DefaultRequestHeaders.Add("X-Remote-User", "admin");

        async Task<(HttpStatusCode, string)> Get(string path)
        {
            using var response = await client.GetAsync(path);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var (listCode, list) = await Get("/apis/metrics.k8s.io/v1/nodes");
        await Assert.That(listCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(list).IsEqualTo("{\"kind\":\"NodeMetricsList\",\"apiVersion\":\"metrics.k8s.io/v1\",\"metadata\":{},\"items\":[]}\n");

        var (watchCode, watch) = await Get("/apis/metrics.k8s.io/v1beta1/pods?watch=true");
        await Assert.That(watchCode).IsEqualTo(HttpStatusCode.MethodNotAllowed);
        await Assert.That(watch).Contains("watch is not supported on resources of kind \\\"pods.metrics.k8s.io\\\"");

        var (fieldCode, field) = await Get("/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=spec.nodeName%3Dx");
        await Assert.That(fieldCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(field).Contains("is not a known field selector");

        var (nodeCode, node) = await Get("/apis/metrics.k8s.io/v1beta1/nodes/missing");
        await Assert.That(nodeCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(node).Contains("node \\\"missing\\\" not found");

        var (unknownCode, _) = await Get("/apis/metrics.k8s.io/v1beta2/nodes");
        await Assert.That(unknownCode).IsEqualTo(HttpStatusCode.NotFound);

        using var post = await client.PostAsync("/apis/metrics.k8s.io/v1beta1/nodes", new StringContent("{}"));
        await Assert.That(post.StatusCode).IsEqualTo(HttpStatusCode.MethodNotAllowed);
    }

    [Test]
    public async Task HealthPaths_WithoutCredentials_AreAnsweredWithUpstreamBodies()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(null);

        using var ping = await client.GetAsync("/livez/ping");
        await Assert.That(ping.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await ping.Content.ReadAsStringAsync()).IsEqualTo("ok");

        // As upstream, liveness includes the pod metadata list: without an API server it cannot pass.
        using var livez = await client.GetAsync("/livez");
        await Assert.That(livez.StatusCode).IsEqualTo(HttpStatusCode.InternalServerError);
        await Assert.That(await livez.Content.ReadAsStringAsync()).Contains("[-]metadata-informer-sync failed: reason withheld\n");

        // No API server, so no informer sync and no metrics: not ready, and says which checks fail.
        using var readyz = await client.GetAsync("/readyz?verbose");
        var body = await readyz.Content.ReadAsStringAsync();
        await Assert.That(readyz.StatusCode).IsEqualTo(HttpStatusCode.InternalServerError);
        await Assert.That(body).Contains("[-]metric-storage-ready failed: reason withheld\n");
        await Assert.That(body).EndsWith("readyz check failed\n");
    }
}
