using Microsoft.AspNetCore.Http;

namespace TinyMetrics.Http.Tests;

/// <summary>The one parse of a request: the endpoint it names, and that security and serving share it.</summary>
public sealed class RequestInfoTests
{
    [Test]
    [Arguments("/apis", "Discovery")]
    [Arguments("/apis/metrics.k8s.io", "ApiGroup")]
    [Arguments("/apis/metrics.k8s.io/", "ApiGroup")]
    [Arguments("/apis/metrics.k8s.io/v1", "ApiResources V1")]
    [Arguments("/apis/metrics.k8s.io/v1beta1", "ApiResources V1Beta1")]
    [Arguments("/apis/metrics.k8s.io/v2", "NotFound")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/nodes", "Resource V1Beta1 nodes ns= name=")]
    [Arguments("/apis/metrics.k8s.io/v1/nodes/n1", "Resource V1 nodes ns= name=n1")]
    [Arguments("/apis/metrics.k8s.io/v1/pods", "Resource V1 pods ns= name=")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/namespaces/ns1/pods", "Resource V1Beta1 pods ns=ns1 name=")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/namespaces/ns1/pods/p1", "Resource V1Beta1 pods ns=ns1 name=p1")]
    [Arguments("//apis/metrics.k8s.io/v1beta1/nodes//", "Resource V1Beta1 nodes ns= name=")]
    // Inner empty segments are kept, as upstream's router and RequestInfo keep them: no route matches.
    [Arguments("/apis//metrics.k8s.io/v1beta1/nodes", "NotFound")]
    [Arguments("/apis/metrics.k8s.io/v1beta1//nodes", "NotFound")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/namespaces/ns1", "NotFound")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/namespaces/ns1/nodes", "NotFound")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/nodes/n1/status", "NotFound")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/watch/pods", "NotFound")]
    [Arguments("/apis/metrics.k8s.io/v2/nodes", "NotFound")]
    [Arguments("/apis/other.k8s.io/v1", "NotFound")]
    [Arguments("/api/v1/nodes", "NotFound")]
    [Arguments("/metrics", "SelfMetrics")]
    [Arguments("/version", "Version")]
    [Arguments("/version/x", "NotFound")]
    [Arguments("/tinymetrics/peer-share", "PeerShare")]
    [Arguments("/tinymetrics/peer-share/x", "NotFound")]
    [Arguments("/openapi/v2", "OpenApiV2")]
    [Arguments("/openapi/v3", "OpenApiV3")]
    [Arguments("/openapi/v3/apis/metrics.k8s.io/v1beta1", "OpenApiV3GroupVersion V1Beta1")]
    [Arguments("/openapi/v3/apis/metrics.k8s.io/v1", "OpenApiV3GroupVersion V1")]
    [Arguments("/openapi/v3/apis/metrics.k8s.io/v2", "NotFound")]
    [Arguments("/openapi/v3/apis/apps/v1", "NotFound")]
    [Arguments("/", "NotFound")]
    [Arguments("/healthz", "Healthz check=(all)")]
    [Arguments("/livez", "Livez check=(all)")]
    [Arguments("/readyz", "Readyz check=(all)")]
    [Arguments("/readyz/shutdown", "Readyz check=shutdown")]
    [Arguments("/livez/poststarthook/max-in-flight-filter", "Livez check=poststarthook/max-in-flight-filter")]
    [Arguments("/healthz/", "Healthz check=")]
    [Arguments("/healthzx", "NotFound")]
    [Arguments("//healthz", "NotFound")]
    [Arguments("/HEALTHZ", "NotFound")]
    public async Task Parse_Path_NamesItsEndpoint(string path, string expected)
    {
        var info = RequestInfo.Parse("GET", path, QueryCollection.Empty);

        await Assert.That(Describe(info)).IsEqualTo(expected);
    }

    [Test]
    [Arguments("GET", true)]
    [Arguments("HEAD", true)]
    [Arguments("POST", false)]
    [Arguments("PUT", false)]
    [Arguments("DELETE", false)]
    [Arguments("OPTIONS", false)]
    public async Task Parse_Method_IsReadOnlyForGetAndHead(string method, bool expected)
    {
        var info = RequestInfo.Parse(method, "/apis/metrics.k8s.io/v1beta1/nodes", QueryCollection.Empty);

        await Assert.That(info.IsReadOnly).IsEqualTo(expected);
        await Assert.That(info.Target).IsEqualTo(RequestTarget.Resource);
    }

    [Test]
    public async Task Parse_ListWithFieldSelectorName_RoutesAsListAndAuthorizesTheName()
    {
        var query = new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?fieldSelector=metadata.name%3Dn2"));

        var info = RequestInfo.Parse("GET", "/apis/metrics.k8s.io/v1/nodes", query);

        await Assert.That(Describe(info)).IsEqualTo("Resource V1 nodes ns= name=");
        await Assert.That(info.Attributes).IsEqualTo(new RequestAttributes(true, "list", "/apis/metrics.k8s.io/v1/nodes", "metrics.k8s.io", "v1", "nodes", Name: "n2"));
    }

    [Test]
    public async Task Of_TwiceOnOneRequest_ParsesOnceFromTheRequest()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "HEAD";
        context.Request.Path = "/apis/metrics.k8s.io/v1beta1/namespaces/ns1/pods";
        context.Request.QueryString = new QueryString("?watch=true");

        var first = RequestInfo.Of(context);
        var second = RequestInfo.Of(context);

        await Assert.That(second).IsSameReferenceAs(first);
        await Assert.That(context.Features.Get<RequestInfo>()).IsSameReferenceAs(first);
        await Assert.That(Describe(first)).IsEqualTo("Resource V1Beta1 pods ns=ns1 name=");
        await Assert.That(first.Attributes.Verb).IsEqualTo("watch");
        await Assert.That(first.IsReadOnly).IsTrue();
    }

    private static string Describe(RequestInfo info) => info.Target switch
    {
        RequestTarget.ApiResources => $"ApiResources {info.ApiVersion}",
        RequestTarget.OpenApiV3GroupVersion => $"OpenApiV3GroupVersion {info.ApiVersion}",
        RequestTarget.Resource => $"Resource {info.Resource.Version} {info.Resource.Resource} ns={info.Resource.Namespace} name={info.Resource.Name}",
        _ when info.IsHealth => $"{info.Target} check={info.HealthCheck ?? "(all)"}",
        _ => info.Target.ToString(),
    };
}
