using Microsoft.AspNetCore.Http;

namespace TinyMetrics.Http.Tests;

/// <summary>Request attributes as upstream's RequestInfoFactory derives them for a SubjectAccessReview.</summary>
public sealed class RequestAttributesTests
{
    [Test]
    [Arguments("GET", "/apis/metrics.k8s.io/v1beta1/nodes", "", "list|metrics.k8s.io|v1beta1|nodes|||")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1beta1/nodes/n1", "", "get|metrics.k8s.io|v1beta1|nodes|||n1")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1/pods", "?watch=true", "watch|metrics.k8s.io|v1|pods|||")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1/pods", "?watch=1", "watch|metrics.k8s.io|v1|pods|||")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1/pods", "?watch=t", "watch|metrics.k8s.io|v1|pods|||")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1/pods", "?watch=xyz", "watch|metrics.k8s.io|v1|pods|||")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1/pods", "?watch=False", "list|metrics.k8s.io|v1|pods|||")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1/pods", "?watch=0&watch=true", "list|metrics.k8s.io|v1|pods|||")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1beta1/nodes", "?fieldSelector=metadata.name%3Dn2&fieldSelector=metadata.name%3Dn3", "list|metrics.k8s.io|v1beta1|nodes|||n2")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1beta1/nodes", "?fieldSelector=metadata.name%3Dn2&limit=x", "list|metrics.k8s.io|v1beta1|nodes|||")]
    [Arguments("get", "/apis/metrics.k8s.io/v1beta1/nodes", "", "|metrics.k8s.io|v1beta1|nodes|||")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1beta1/watch/pods", "", "watch|metrics.k8s.io|v1beta1|pods|||")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/ns1/pods", "", "list|metrics.k8s.io|v1beta1|pods||ns1|")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/ns1/pods/p1", "", "get|metrics.k8s.io|v1beta1|pods||ns1|p1")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1beta1/nodes", "?fieldSelector=metadata.name%3Dn2", "list|metrics.k8s.io|v1beta1|nodes|||n2")]
    [Arguments("POST", "/apis/metrics.k8s.io/v1beta1/nodes", "", "create|metrics.k8s.io|v1beta1|nodes|||")]
    [Arguments("DELETE", "/apis/metrics.k8s.io/v1beta1/nodes", "", "deletecollection|metrics.k8s.io|v1beta1|nodes|||")]
    [Arguments("GET", "/api/v1/namespaces/ns1/pods/p1/log", "", "get||v1|pods|log|ns1|p1")]
    public async Task Parse_ResourceRequest_HasUpstreamAttributes(string method, string path, string query, string expected)
    {
        var a = RequestInfo.Parse(method, path, new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query))).Attributes;

        await Assert.That(a.IsResourceRequest).IsTrue();
        await Assert.That($"{a.Verb}|{a.Group}|{a.Version}|{a.Resource}|{a.Subresource}|{a.Namespace}|{a.Name}").IsEqualTo(expected);
    }

    [Test]
    [Arguments("GET", "/metrics", "get")]
    [Arguments("GET", "/apis/metrics.k8s.io/v1beta1", "get")]
    [Arguments("GET", "/apis/metrics.k8s.io", "get")]
    [Arguments("GET", "/apis", "get")]
    [Arguments("GET", "/openapi/v2", "get")]
    [Arguments("POST", "/metrics", "post")]
    public async Task Parse_NonResourceRequest_IsPathAndLowerCasedMethod(string method, string path, string verb)
    {
        var a = RequestInfo.Parse(method, path, QueryCollection.Empty).Attributes;

        await Assert.That(a).IsEqualTo(new RequestAttributes(false, verb, path));
    }
}
