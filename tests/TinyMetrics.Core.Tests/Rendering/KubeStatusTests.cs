using System.Text;

namespace TinyMetrics.Rendering.Tests;

public class KubeStatusTests
{
    private const string Head = "{'kind':'Status','apiVersion':'v1','metadata':{},'status':'Failure',";

    public static IEnumerable<(StatusResponse Response, int Code, string Json)> Cases() =>
    [
        (KubeStatus.NodeNotFound("n1"), 404, "'message':'node \\'n1\\' not found','reason':'NotFound','details':{'name':'n1','kind':'node'},'code':404}"),
        (KubeStatus.NodeMetricsNotFound("n1"), 404, "'message':'nodemetrics.metrics.k8s.io \\'n1\\' not found','reason':'NotFound','details':{'name':'n1','group':'metrics.k8s.io','kind':'nodemetrics'},'code':404}"),
        (KubeStatus.PodNotFound("web"), 404, "'message':'pods \\'web\\' not found','reason':'NotFound','details':{'name':'web','kind':'pods'},'code':404}"),
        (KubeStatus.PodMetricsNotFound("default", "web"), 404, "'message':'podmetrics.metrics.k8s.io \\'default/web\\' not found','reason':'NotFound','details':{'name':'default/web','group':'metrics.k8s.io','kind':'podmetrics'},'code':404}"),
        (KubeStatus.BadRequest("bad"), 400, "'message':'bad','reason':'BadRequest','code':400}"),
        (KubeStatus.WatchNotSupported("nodes"), 405, "'message':'watch is not supported on resources of kind \\'nodes.metrics.k8s.io\\'','reason':'MethodNotAllowed','details':{'group':'metrics.k8s.io','kind':'nodes'},'code':405}"),
        (KubeStatus.Unauthorized, 401, "'message':'Unauthorized','reason':'Unauthorized','code':401}"),
        (KubeStatus.PathNotFound, 404, "'message':'the server could not find the requested resource','reason':'NotFound','details':{},'code':404}"),
        (KubeStatus.InternalError("failed listing nodes"), 500, "'message':'Internal error occurred: failed listing nodes','reason':'InternalError','details':{'causes':[{'message':'failed listing nodes'}]},'code':500}"),
        (KubeStatus.ForbiddenResource("alice", "list", "nodes", null, null), 403, "'message':'nodes.metrics.k8s.io is forbidden: User \\'alice\\' cannot list resource \\'nodes\\' in API group \\'metrics.k8s.io\\' at the cluster scope','reason':'Forbidden','details':{'group':'metrics.k8s.io','kind':'nodes'},'code':403}"),
        (KubeStatus.ForbiddenResource("bob", "get", "pods", "default", "web"), 403, "'message':'pods.metrics.k8s.io \\'web\\' is forbidden: User \\'bob\\' cannot get resource \\'pods\\' in API group \\'metrics.k8s.io\\' in the namespace \\'default\\'','reason':'Forbidden','details':{'name':'web','group':'metrics.k8s.io','kind':'pods'},'code':403}"),
        (KubeStatus.ForbiddenPath("system:anonymous", "get", "/metrics"), 403, "'message':'forbidden: User \\'system:anonymous\\' cannot get path \\'/metrics\\'','reason':'Forbidden','details':{},'code':403}"),
    ];

    [Test]
    [MethodDataSource(nameof(Cases))]
    public async Task Body_EachError_MatchesUpstreamStatus(StatusResponse response, int code, string tail)
    {
        // Written with ' for " to keep the expectations readable.
        var expected = (Head + tail).Replace('\'', '"');

        await Assert.That(response.StatusCode).IsEqualTo(code);
        await Assert.That(Encoding.UTF8.GetString(response.Body)).IsEqualTo(expected);
    }
}
