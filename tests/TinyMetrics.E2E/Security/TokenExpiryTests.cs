using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Security;

/// <summary>
/// Bearer tokens sent straight to TinyMetrics are checked by TokenReview against the simulator: a
/// live token is served, an unknown one is 401, and an expiring one stops working once it has
/// expired and TinyMetrics' review cache (--authentication-token-webhook-cache-ttl, 10 s) has lapsed.
/// </summary>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel(ClusterLanes.Session)]
public sealed class TokenExpiryTests(LocalCluster cluster)
{
    private const int LifetimeSeconds = 4;
    private const int CacheSeconds = 10;

    [Test]
    public async Task BearerToken_UnknownToken_IsUnauthorized()
    {
        using var response = await GetNodesAsync("not-a-token");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task BearerToken_AfterItExpires_IsUnauthorizedWithinTheCacheTtl()
    {
        var token = await cluster.IssueTokenAsync("reader", LifetimeSeconds);
        var issued = Stopwatch.StartNew();

        using (var live = await GetNodesAsync(token))
            await Assert.That(live.StatusCode).IsEqualTo(HttpStatusCode.OK);

        var status = HttpStatusCode.OK;
        while (issued.Elapsed < TimeSpan.FromSeconds(LifetimeSeconds + CacheSeconds + 10) && status == HttpStatusCode.OK)
        {
            await Task.Delay(500);
            using var response = await GetNodesAsync(token);
            status = response.StatusCode;
        }

        await Assert.That(status).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(issued.Elapsed).IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(LifetimeSeconds));
    }

    private async Task<HttpResponseMessage> GetNodesAsync(string token)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{cluster.ServerPort}/apis/metrics.k8s.io/v1beta1/nodes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
