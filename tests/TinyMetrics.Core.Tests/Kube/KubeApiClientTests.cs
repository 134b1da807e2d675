using System.Net;

namespace TinyMetrics.Kube.Tests;

public class KubeApiClientTests
{
    [Test]
    public async Task GetAsync_ServerWithPathPrefix_KeepsPrefixAndSendsTokenAndAccept()
    {
        await using var server = new LoopbackHttpServer(IPAddress.Loopback, null, async (_, stream, ct) =>
        {
            await TestResponses.WriteJsonAsync(stream, "{}", ct);
            return true;
        });
        using var api = new KubeApiClient(new Uri(server.BaseUri, "/k8s/clusters/c-1/"), new SocketsHttpHandler(), new StaticTokenSource("api-token"));

        using var response = await api.GetAsync("/api/v1/nodes?limit=1", "application/json", CancellationToken.None);

        var request = server.Requests.Single();
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(request.Target).IsEqualTo("/k8s/clusters/c-1/api/v1/nodes?limit=1");
        await Assert.That(request.Header("Authorization")).IsEqualTo("Bearer api-token");
        await Assert.That(request.Header("Accept")).IsEqualTo("application/json");
    }
}
