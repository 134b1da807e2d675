using System.Security.Cryptography;
using System.Text;
using TinyMetrics.Rendering;

namespace TinyMetrics.Serving.Tests;

/// <summary>
/// /openapi/* as kube-openapi's handlers answer: JSON or 406, ETag and 304 (kube-aggregator's downloader sends
/// If-None-Match with the last ETag), the v3 ?hash= contract (immutable on a match, 301 to the current hash otherwise).
/// </summary>
public sealed class OpenApiEndpointsTests
{
    private static string Sha512(byte[] bytes) => Convert.ToHexString(SHA512.HashData(bytes));

    [Test]
    [Arguments(null)]
    [Arguments("application/json")]
    [Arguments("*/*")]
    [Arguments("application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json;q=0.9")]
    public async Task V2_AcceptingJson_Is200WithTheDocumentAndItsETag(string? accept)
    {
        var (code, headers, body) = await RouterExchange.SendAsync("/openapi/v2", accept: accept);

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(headers.ContentType.ToString()).IsEqualTo("application/json");
        await Assert.That(headers.ETag.ToString()).IsEqualTo("\"" + Sha512(Encoding.UTF8.GetBytes(body)) + "\"");
        await Assert.That(headers.Vary.ToString()).IsEqualTo("Accept");
        await Assert.That(body).StartsWith("{\"swagger\":\"2.0\",\"info\":{\"title\":\"Kubernetes metrics-server\"");
    }

    [Test]
    [Arguments("application/com.github.proto-openapi.spec.v2@v1.0+protobuf")]
    [Arguments("application/json;q=0")]
    [Arguments("text/html")]
    public async Task V2_NotAcceptingJson_Is406(string accept)
    {
        var (code, _, body) = await RouterExchange.SendAsync("/openapi/v2", accept: accept);

        await Assert.That(code).IsEqualTo(406);
        await Assert.That(body).IsEmpty();
    }

    [Test]
    [Arguments("/openapi/v2")]
    [Arguments("/openapi/v3")]
    [Arguments("/openapi/v3/apis/metrics.k8s.io/v1beta1")]
    [Arguments("/openapi/v3/apis/metrics.k8s.io/v1")]
    public async Task Get_IfNoneMatchTheETag_Is304WithoutBody(string path)
    {
        var (_, first, _) = await RouterExchange.SendAsync(path);

        var (code, headers, body) = await RouterExchange.SendAsync(path, ifNoneMatch: first.ETag.ToString());
        var (stale, _, _) = await RouterExchange.SendAsync(path, ifNoneMatch: "\"ABC\"");

        await Assert.That(code).IsEqualTo(304);
        await Assert.That(headers.ETag.ToString()).IsEqualTo(first.ETag.ToString());
        await Assert.That(body).IsEmpty();
        await Assert.That(stale).IsEqualTo(200);
    }

    [Test]
    public async Task V3Index_FollowedByItsUrls_ServesEachDocumentImmutably()
    {
        var (code, _, index) = await RouterExchange.SendAsync("/openapi/v3");
        var url = System.Text.Json.JsonDocument.Parse(index).RootElement.GetProperty("paths")
            .GetProperty("apis/metrics.k8s.io/v1beta1").GetProperty("serverRelativeURL").GetString()!;
        var query = url[url.IndexOf('?')..];

        var (documentCode, headers, document) = await RouterExchange.SendAsync("/openapi/v3/apis/metrics.k8s.io/v1beta1", query);

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(documentCode).IsEqualTo(200);
        await Assert.That(query).IsEqualTo("?hash=" + Sha512(Encoding.UTF8.GetBytes(document)));
        await Assert.That(headers.CacheControl.ToString()).IsEqualTo("public, immutable");
        await Assert.That(headers.Expires.ToString()).IsNotEmpty();
        await Assert.That(document).StartsWith("{\"openapi\":\"3.0.0\"");
    }

    [Test]
    public async Task V3GroupVersion_StaleHash_Is301ToTheCurrentHash()
    {
        var (code, headers, _) = await RouterExchange.SendAsync("/openapi/v3/apis/metrics.k8s.io/v1", "?hash=0123");

        await Assert.That(code).IsEqualTo(301);
        await Assert.That(headers.Location.ToString()).IsEqualTo(
            "/openapi/v3/apis/metrics.k8s.io/v1?hash=" + Sha512(OpenApiDocuments.Instance.V3(ApiVersion.V1).Json));
    }

    [Test]
    [Arguments("/openapi/v3/apis/metrics.k8s.io/v2")]
    [Arguments("/openapi/v3/apis/apps/v1")]
    [Arguments("/openapi/v4")]
    public async Task Get_UnknownOpenApiPath_Is404(string path)
    {
        var (code, _, _) = await RouterExchange.SendAsync(path);

        await Assert.That(code).IsEqualTo(404);
    }
}
