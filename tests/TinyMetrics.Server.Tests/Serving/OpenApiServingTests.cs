using System.Net;

namespace TinyMetrics.Tests;

/// <summary>
/// /openapi/* over real TLS behind the real security chain. As upstream, they are not in the default
/// --authorization-always-allow-paths: the aggregator's downloader (front proxy, system:masters) is served and
/// revalidates with If-None-Match, anonymous is asked about by SubjectAccessReview and denied.
/// </summary>
[NotInParallel("in-process-server")]
public sealed class OpenApiServingTests
{
    [Test]
    public async Task Get_AsTheAggregatorsDownloader_Is200ThenNotModified()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client("proxy");
        client.DefaultRequestHeaders.Add("X-Remote-User", "system:aggregator");
        client.DefaultRequestHeaders.Add("X-Remote-Group", "system:masters");
        client.DefaultRequestHeaders.Add("Accept", "application/json");

        using var first = await client.GetAsync("/openapi/v2");
        var etag = first.Headers.ETag?.Tag;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        again.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var second = await client.SendAsync(again);
        using var index = await client.GetAsync("/openapi/v3");

        await Assert.That(first.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(etag).IsNotNull();
        await Assert.That(second.StatusCode).IsEqualTo(HttpStatusCode.NotModified);
        await Assert.That(await index.Content.ReadAsStringAsync()).Contains("\"apis/metrics.k8s.io/v1beta1\":{\"serverRelativeURL\":\"/openapi/v3/apis/metrics.k8s.io/v1beta1?hash=");
    }

    [Test]
    public async Task Get_Anonymous_IsReviewedAsANonResourceUrlAndDenied()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(null);

        using var response = await client.GetAsync("/openapi/v2");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(string.Join("\n", server.Api.AccessReviewSpecs)).Contains("\"path\":\"/openapi/v2\"");
    }
}
