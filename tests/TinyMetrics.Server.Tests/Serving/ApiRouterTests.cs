using System.Text;
using Microsoft.AspNetCore.Http;
using TinyMetrics.Cycle;
using TinyMetrics.Discovery;
using TinyMetrics.Http;
using TinyMetrics.Rendering;
using TinyMetrics.Selectors;
using TinyMetrics.Telemetry;

namespace TinyMetrics.Serving.Tests;

/// <summary>
/// The single entry point behind security, on a server that has listed nothing yet: which endpoint answers
/// a path and method, with upstream's Status bodies for 404 and 405.
/// </summary>
public sealed class ApiRouterTests
{
    private static readonly string PathNotFound = Encoding.UTF8.GetString(KubeStatus.PathNotFound.Body);
    private static readonly string MethodNotAllowed = Encoding.UTF8.GetString(KubeStatus.MethodNotAllowed.Body);

    private static ApiRouter Router(Replicas.PeerShare? share = null)
    {
        var published = new SnapshotCell();
        var cluster = new EmptyCluster();
        var selfMetrics = new SelfMetrics(TimeSpan.FromSeconds(15), TimeProvider.System);
        LabelSelector.TryParse("", out var everything, out _);
        var health = new HealthEndpoints(new HealthState(published, cluster, TimeProvider.System, TimeSpan.FromSeconds(15)));
        return new ApiRouter(new MetricsEndpoints(published, cluster, everything, selfMetrics, TimeProvider.System), health, selfMetrics,
            new OpenApiEndpoints(OpenApiDocuments.Instance, TimeProvider.System), share);
    }

    private static async Task<(int Code, string ContentType, string Body)> SendAsync(string method, string path, string query = "",
        Replicas.PeerShare? share = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        var body = new MemoryStream();
        context.Response.Body = body;

        await Router(share).HandleAsync(context);
        await context.Response.BodyWriter.FlushAsync();

        return (context.Response.StatusCode, context.Response.ContentType ?? "", Encoding.UTF8.GetString(body.ToArray()));
    }

    [Test]
    public async Task Handle_PeerShare_404WithoutHaThen503ThenTheSharesBytes()
    {
        var share = new Replicas.PeerShare();

        await Assert.That((await SendAsync("GET", Replicas.PeerShare.Path)).Code).IsEqualTo(404);
        await Assert.That((await SendAsync("GET", Replicas.PeerShare.Path, share: share)).Code).IsEqualTo(503);
        share.Publish("TMS1\0\0\0\0"u8.ToArray());
        var (code, type, body) = await SendAsync("GET", Replicas.PeerShare.Path, share: share);
        await Assert.That(code).IsEqualTo(200);
        await Assert.That(type).IsEqualTo(Replicas.PeerShare.ContentType);
        await Assert.That(body).IsEqualTo("TMS1\0\0\0\0");
        await Assert.That((await SendAsync("POST", Replicas.PeerShare.Path, share: share)).Code).IsEqualTo(405);
    }

    [Test]
    [Arguments("GET", "/nope")]
    [Arguments("POST", "/nope")]
    [Arguments("DELETE", "/apis/metrics.k8s.io/v1beta1/namespaces/ns1")]
    [Arguments("GET", "/apis/metrics.k8s.io/v2")]
    [Arguments("GET", "//healthz")]
    public async Task Handle_UnknownPath_Is404PathNotFoundForAnyMethod(string method, string path)
    {
        var (code, type, body) = await SendAsync(method, path);

        await Assert.That(code).IsEqualTo(404);
        await Assert.That(type).IsEqualTo("application/json");
        await Assert.That(body).IsEqualTo(PathNotFound);
    }

    [Test]
    [Arguments("POST", "/apis")]
    [Arguments("PUT", "/apis/metrics.k8s.io")]
    [Arguments("DELETE", "/apis/metrics.k8s.io/v1")]
    [Arguments("POST", "/apis/metrics.k8s.io/v1beta1/nodes")]
    [Arguments("DELETE", "/apis/metrics.k8s.io/v1beta1/namespaces/ns1/pods/p1")]
    [Arguments("POST", "/metrics")]
    [Arguments("PATCH", "/version")]
    public async Task Handle_WriteMethodOnKnownPath_Is405MethodNotAllowed(string method, string path)
    {
        var (code, type, body) = await SendAsync(method, path);

        await Assert.That(code).IsEqualTo(405);
        await Assert.That(type).IsEqualTo("application/json");
        await Assert.That(body).IsEqualTo(MethodNotAllowed);
    }

    [Test]
    [Arguments("GET")]
    [Arguments("HEAD")]
    public async Task Handle_ApiGroupAndResourceList_AreTheDiscoveryDocuments(string method)
    {
        var group = await SendAsync(method, "/apis/metrics.k8s.io");
        var resources = await SendAsync(method, "/apis/metrics.k8s.io/v1");

        await Assert.That(group).IsEqualTo((200, "application/json", Encoding.UTF8.GetString(ApiDiscoveryDocuments.ApiGroup)));
        await Assert.That(resources).IsEqualTo((200, "application/json", Encoding.UTF8.GetString(ApiDiscoveryDocuments.ApiResourceList(ApiVersion.V1))));
    }

    [Test]
    public async Task Handle_Version_IsTheVersionDocument()
    {
        var (code, type, body) = await SendAsync("GET", "/version");

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(type).IsEqualTo("application/json");
        var json = System.Text.Json.JsonDocument.Parse(body).RootElement;
        var names = new List<string>();
        foreach (var property in json.EnumerateObject())
            names.Add(property.Name);
        // Go's version.Info, field for field and in its order.
        await Assert.That(names).IsEquivalentTo(["major", "minor", "emulationMajor", "emulationMinor", "minCompatibilityMajor", "minCompatibilityMinor",
            "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(body).StartsWith("{\"major\":\"1\",\"minor\":\"36\",\"emulationMajor\":\"1\",\"emulationMinor\":\"36\",\"minCompatibilityMajor\":\"1\",\"minCompatibilityMinor\":\"35\",\"gitVersion\":\"v0.1.0\",");
        await Assert.That(json.GetProperty("gitCommit").GetString()).Matches("^([0-9a-f]{40})?$");
        await Assert.That(json.GetProperty("gitTreeState").GetString()).IsIn("clean", "dirty");
        await Assert.That(json.GetProperty("buildDate").GetString()).Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$");
        var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture;
        await Assert.That(json.GetProperty("platform").GetString()).IsEqualTo(
            arch == System.Runtime.InteropServices.Architecture.X64 ? "linux/amd64" : arch == System.Runtime.InteropServices.Architecture.Arm64 ? "linux/arm64" : "unexpected");
    }

    [Test]
    public async Task Handle_SelfMetrics_IsPrometheusText()
    {
        var (code, type, _) = await SendAsync("GET", "/metrics");

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(type).IsEqualTo("text/plain; version=0.0.4; charset=utf-8");
    }

    [Test]
    public async Task Handle_NodeList_IsTheEmptyListWithANewline()
    {
        var (code, type, body) = await SendAsync("GET", "/apis/metrics.k8s.io/v1beta1/nodes");

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(type).IsEqualTo("application/json");
        await Assert.That(body).IsEqualTo("{\"kind\":\"NodeMetricsList\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{},\"items\":[]}\n");
    }

    [Test]
    public async Task Handle_UnknownNode_IsNodeNotFound()
    {
        var (code, _, body) = await SendAsync("GET", "/apis/metrics.k8s.io/v1/nodes/n1");

        await Assert.That(code).IsEqualTo(404);
        await Assert.That(body).IsEqualTo(Encoding.UTF8.GetString(KubeStatus.NodeNotFound("n1").Body));
    }

    [Test]
    [Arguments("?watch=true", 405)]
    [Arguments("?watch=1", 405)]
    [Arguments("?watch=false", 200)]
    public async Task Handle_PodListWatch_IsWatchNotSupported(string query, int expected)
    {
        var (code, _, body) = await SendAsync("GET", "/apis/metrics.k8s.io/v1/pods", query);

        await Assert.That(code).IsEqualTo(expected);
        if (expected == 405)
            await Assert.That(body).IsEqualTo(Encoding.UTF8.GetString(KubeStatus.WatchNotSupported("pods").Body));
    }

    [Test]
    [Arguments("GET", "/healthz/ping", "", 200, "ok")]
    [Arguments("POST", "/livez/ping", "", 200, "ok")]
    [Arguments("GET", "/readyz/nope", "", 404, "404 page not found\n")]
    [Arguments("GET", "/healthz/", "", 404, "404 page not found\n")]
    [Arguments("GET", "/readyz/shutdown", "", 200, "ok")]
    [Arguments("GET", "/readyz/metric-storage-ready", "", 500, "internal server error: no metrics to serve\n")]
    [Arguments("GET", "/livez", "?exclude=metadata-informer-sync", 200, "ok")]
    [Arguments("DELETE", "/livez", "?verbose&exclude=metadata-informer-sync", 200,
        "[+]ping ok\n[+]log ok\n[+]poststarthook/max-in-flight-filter ok\n[+]poststarthook/storage-object-count-tracker-hook ok\n" +
        "[+]metric-collection-timely ok\n[+]metadata-informer-sync excluded: ok\nlivez check passed\n")]
    [Arguments("GET", "/healthz", "", 500,
        "[+]ping ok\n[+]log ok\n[+]poststarthook/max-in-flight-filter ok\n[+]poststarthook/storage-object-count-tracker-hook ok\n" +
        "[-]metadata-informer-sync failed: reason withheld\nhealthz check failed\n")]
    public async Task Handle_HealthPath_IsAnsweredByTheHealthChecksForAnyMethod(string method, string path, string query, int expectedCode, string expectedBody)
    {
        var (code, type, body) = await SendAsync(method, path, query);

        await Assert.That(code).IsEqualTo(expectedCode);
        await Assert.That(type).IsEqualTo("text/plain; charset=utf-8");
        await Assert.That(body).IsEqualTo(expectedBody);
    }

    [Test]
    public async Task Handle_InfoParsedBySecurity_IsTheOneRouted()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/version";
        context.Response.Body = new MemoryStream();
        context.Features.Set(RequestInfo.Parse("GET", "/nope", QueryCollection.Empty));

        await Router().HandleAsync(context);

        await Assert.That(context.Response.StatusCode).IsEqualTo(404);
    }

    private sealed class EmptyCluster : IClusterViewSource
    {
        public ClusterView Current => ClusterView.Empty;

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
