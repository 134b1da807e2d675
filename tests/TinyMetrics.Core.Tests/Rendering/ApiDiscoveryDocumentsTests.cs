using System.Text;

namespace TinyMetrics.Rendering.Tests;

public class ApiDiscoveryDocumentsTests
{
    private const string Versions =
        "'versions':[{'groupVersion':'metrics.k8s.io/v1beta1','version':'v1beta1'},{'groupVersion':'metrics.k8s.io/v1','version':'v1'}]," +
        "'preferredVersion':{'groupVersion':'metrics.k8s.io/v1beta1','version':'v1beta1'}";

    [Test]
    [Arguments(ApiVersion.V1Beta1, "metrics.k8s.io/v1beta1")]
    [Arguments(ApiVersion.V1, "metrics.k8s.io/v1")]
    public async Task ApiResourceList_Version_MatchesUpstreamShape(ApiVersion version, string groupVersion)
    {
        var json = Encoding.UTF8.GetString(ApiDiscoveryDocuments.ApiResourceList(version));

        await Assert.That(json).IsEqualTo(Q(
            "{'kind':'APIResourceList','apiVersion':'v1','groupVersion':'" + groupVersion + "','resources':[" +
            "{'name':'nodes','singularName':'','namespaced':false,'kind':'NodeMetrics','verbs':['get','list']}," +
            "{'name':'pods','singularName':'','namespaced':true,'kind':'PodMetrics','verbs':['get','list']}]}"));
    }

    [Test]
    public async Task ApiGroup_ListsBothVersions_PrefersV1Beta1()
    {
        var json = Encoding.UTF8.GetString(ApiDiscoveryDocuments.ApiGroup);

        await Assert.That(json).IsEqualTo(Q("{'kind':'APIGroup','apiVersion':'v1','name':'metrics.k8s.io'," + Versions + "}"));
    }

    [Test]
    public async Task ApiGroupList_Address_AddsServerAddressByClientCidrs()
    {
        var json = Encoding.UTF8.GetString(ApiDiscoveryDocuments.ApiGroupList("10.0.0.5:10250"));

        await Assert.That(json).IsEqualTo(Q(
            "{'kind':'APIGroupList','apiVersion':'v1','groups':[{'name':'metrics.k8s.io'," + Versions +
            ",'serverAddressByClientCIDRs':[{'clientCIDR':'0.0.0.0/0','serverAddress':'10.0.0.5:10250'}]}]}"));
    }

    [Test]
    public async Task AggregatedDiscovery_MatchesUpstreamShapeWithBothVersions()
    {
        const string Resources =
            "'resources':[{'resource':'nodes','responseKind':{'group':'','version':'','kind':'NodeMetrics'},'scope':'Cluster','singularResource':'','verbs':['get','list']}," +
            "{'resource':'pods','responseKind':{'group':'','version':'','kind':'PodMetrics'},'scope':'Namespaced','singularResource':'','verbs':['get','list']}],'freshness':'Current'}";

        var json = Encoding.UTF8.GetString(ApiDiscoveryDocuments.AggregatedDiscovery);

        await Assert.That(json).IsEqualTo(Q(
            "{'kind':'APIGroupDiscoveryList','apiVersion':'apidiscovery.k8s.io/v2','metadata':{},'items':[{'metadata':{'name':'metrics.k8s.io'},'versions':[" +
            "{'version':'v1beta1'," + Resources + ",{'version':'v1'," + Resources + "]}]}"));
        await Assert.That(ApiDiscoveryDocuments.AggregatedDiscoveryETag).StartsWith("\"");
        await Assert.That(ApiDiscoveryDocuments.AggregatedDiscoveryETag.Length).IsEqualTo(130);
    }

    [Test]
    public async Task AggregatedDiscoveryV2Beta1_IsTheV2DocumentUnderV2Beta1()
    {
        var v2 = Encoding.UTF8.GetString(ApiDiscoveryDocuments.AggregatedDiscovery);
        var v2Beta1 = Encoding.UTF8.GetString(ApiDiscoveryDocuments.AggregatedDiscoveryV2Beta1);

        await Assert.That(v2Beta1).IsEqualTo(v2.Replace("\"apidiscovery.k8s.io/v2\"", "\"apidiscovery.k8s.io/v2beta1\"", StringComparison.Ordinal));
        await Assert.That(ApiDiscoveryDocuments.AggregatedContentTypeV2Beta1).IsEqualTo("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList");
        await Assert.That(ApiDiscoveryDocuments.AggregatedDiscoveryV2Beta1ETag).IsNotEqualTo(ApiDiscoveryDocuments.AggregatedDiscoveryETag);
    }

    // Expectations are written with ' for " to stay readable.
    private static string Q(string json) => json.Replace('\'', '"');
}
