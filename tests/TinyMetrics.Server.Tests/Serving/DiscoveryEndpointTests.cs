using TinyMetrics.Rendering;

namespace TinyMetrics.Serving.Tests;

/// <summary>
/// GET /apis by Accept, as the generic apiserver's aggregated-discovery wrapper chooses: the acceptable range with the
/// highest q, the first one on a tie; v2 and v2beta1 with their ETags and 304, the legacy APIGroupList otherwise.
/// </summary>
public sealed class DiscoveryEndpointTests
{
    private const string V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private const string V2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    [Test]
    // kube-apiserver 1.30–1.36's discovery manager, verbatim.
    [Arguments(V2 + "," + V2Beta1 + ",application/json", "V2")]
    [Arguments(V2Beta1 + "," + V2 + ",application/json", "V2Beta1")]
    [Arguments(V2, "V2")]
    [Arguments(V2Beta1, "V2Beta1")]
    [Arguments(V2 + ";q=0.5," + V2Beta1 + ";q=0.9", "V2Beta1")]
    [Arguments(V2Beta1 + ";q=0.8, " + V2, "V2")]
    [Arguments("application/json;q=0.9," + V2 + ";q=0.8", "Legacy")]
    [Arguments(V2 + ";q=0,application/json", "Legacy")]
    [Arguments("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json", "Legacy")]
    [Arguments("application/json", "Legacy")]
    [Arguments("*/*", "Legacy")]
    [Arguments("", "Legacy")]
    public async Task Choose_AcceptList_PicksTheFirstBestRange(string accept, string expected)
    {
        await Assert.That(DiscoveryEndpoint.Choose(accept).ToString()).IsEqualTo(expected);
    }

    [Test]
    [Arguments(V2 + "," + V2Beta1 + ",application/json", V2, "apidiscovery.k8s.io/v2")]
    [Arguments(V2Beta1 + "," + V2 + ",application/json", V2Beta1, "apidiscovery.k8s.io/v2beta1")]
    public async Task Get_AggregatedAccept_AnswersThatVersionWithETagThen304(string accept, string contentType, string apiVersion)
    {
        var (code, headers, body) = await RouterExchange.SendAsync("/apis", accept: accept);
        var (again, againHeaders, againBody) = await RouterExchange.SendAsync("/apis", accept: accept, ifNoneMatch: headers.ETag.ToString());

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(headers.ContentType.ToString()).IsEqualTo(contentType);
        await Assert.That(body).StartsWith("{\"kind\":\"APIGroupDiscoveryList\",\"apiVersion\":\"" + apiVersion + "\"");
        await Assert.That(headers.ETag.ToString().Length).IsEqualTo(130);
        await Assert.That(again).IsEqualTo(304);
        await Assert.That(againHeaders.ETag.ToString()).IsEqualTo(headers.ETag.ToString());
        await Assert.That(againBody).IsEmpty();
    }

    [Test]
    public async Task Get_BothVersions_HaveDifferentETags()
    {
        await Assert.That(ApiDiscoveryDocuments.AggregatedDiscoveryETag).IsNotEqualTo(ApiDiscoveryDocuments.AggregatedDiscoveryV2Beta1ETag);
    }

    [Test]
    [Arguments("application/json")]
    [Arguments(null)]
    public async Task Get_PlainJson_IsTheLegacyGroupList(string? accept)
    {
        var (code, headers, body) = await RouterExchange.SendAsync("/apis", accept: accept);

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(headers.ContentType.ToString()).IsEqualTo("application/json");
        await Assert.That(body).StartsWith("{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[{\"name\":\"metrics.k8s.io\"");
        await Assert.That(headers.ETag.ToString()).IsEmpty();
    }
}
