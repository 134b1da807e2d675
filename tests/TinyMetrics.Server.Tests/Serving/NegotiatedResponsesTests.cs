using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Cycle;
using TinyMetrics.Discovery;
using TinyMetrics.Rendering;
using TinyMetrics.Rendering.Tests;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;
using TinyMetrics.Telemetry;

namespace TinyMetrics.Serving.Tests;

/// <summary>
/// Responses by Accept header on a server with one node: protobuf, YAML, Table, 406 as a Status on the resource
/// paths; health and /metrics ignore Accept as the generic apiserver's non-resource handlers do.
/// </summary>
public sealed class NegotiatedResponsesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-01T10:00:05Z", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly NodeMetricsValue Node = new(
        "node-1", LabelSet.From([new("kubernetes.io/os", "linux"), new("flag", "true")]),
        Now.AddSeconds(-5).ToUnixTimeMilliseconds() * 1_000_000, 15_000_000_000, 250_000_000, 512 * 1024 * 1024);

    private static ApiRouter Router()
    {
        var published = new SnapshotCell();
        published.Publish(RenderedSnapshot.Render(new MetricsSnapshot([Node], [], 1, 0)));
        var cluster = new OneNodeCluster();
        var time = new FakeTimeProvider(Now);
        var selfMetrics = new SelfMetrics(TimeSpan.FromSeconds(15), time);
        LabelSelector.TryParse("", out var everything, out _);
        var health = new HealthEndpoints(new HealthState(published, cluster, time, TimeSpan.FromSeconds(15)));
        return new ApiRouter(new MetricsEndpoints(published, cluster, everything, selfMetrics, time), health, selfMetrics,
            new OpenApiEndpoints(OpenApiDocuments.Instance, time));
    }

    private static async Task<(int Code, string ContentType, byte[] Body)> GetAsync(string path, string? accept)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        if (accept is not null)
            context.Request.Headers.Accept = accept;
        var body = new MemoryStream();
        context.Response.Body = body;
        await Router().HandleAsync(context);
        await context.Response.BodyWriter.FlushAsync();
        return (context.Response.StatusCode, context.Response.ContentType ?? "", body.ToArray());
    }

    [Test]
    [Arguments("application/vnd.kubernetes.protobuf,application/json")]
    [Arguments("application/vnd.kubernetes.protobuf, */*")]
    public async Task NodeList_ProtobufAccept_IsTheProtobufList(string accept)
    {
        var (code, type, body) = await GetAsync("/apis/metrics.k8s.io/v1beta1/nodes", accept);

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(type).IsEqualTo("application/vnd.kubernetes.protobuf");
        var (apiVersion, kind, raw, _, _) = ProtoMessage.Envelope(body);
        await Assert.That(apiVersion).IsEqualTo("metrics.k8s.io/v1beta1");
        await Assert.That(kind).IsEqualTo("NodeMetricsList");
        var item = raw.Messages(2)[0];
        await Assert.That(item.Message(1).String(1)).IsEqualTo("node-1");
        await Assert.That(item.Message(1).Message(8).Varint(1)).IsEqualTo((ulong)Now.ToUnixTimeSeconds());
        await Assert.That(item.Map(4, quantityValues: true)).IsEquivalentTo(new[] { "cpu=250m", "memory=512Mi" });
    }

    [Test]
    public async Task Node_Yaml_IsTheObjectInYaml()
    {
        var (code, type, body) = await GetAsync("/apis/metrics.k8s.io/v1/nodes/node-1", "application/yaml");

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(type).IsEqualTo("application/yaml");
        await Assert.That(Encoding.UTF8.GetString(body)).IsEqualTo("""
            apiVersion: metrics.k8s.io/v1
            kind: NodeMetrics
            metadata:
              creationTimestamp: "2026-12-01T10:00:05Z"
              labels:
                flag: "true"
                kubernetes.io/os: linux
              name: node-1
            timestamp: "2026-12-01T10:00:00Z"
            usage:
              cpu: 250m
              memory: 512Mi
            window: 15s

            """.Replace("\r", "", StringComparison.Ordinal));
    }

    [Test]
    [Arguments("/apis/metrics.k8s.io/v1beta1/nodes", "text/html")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/nodes/node-1", "text/html,application/xhtml+xml")]
    [Arguments("/apis/metrics.k8s.io/v1/namespaces/default/pods", "application/json;as=Table;v=v1;g=example.com")]
    [Arguments("/apis/metrics.k8s.io/v1/pods", "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io")]
    public async Task Resource_NothingAcceptable_Is406StatusInIndentedJson(string path, string accept)
    {
        var (code, type, body) = await GetAsync(path, accept);

        await Assert.That(code).IsEqualTo(406);
        await Assert.That(type).IsEqualTo("application/json");
        await Assert.That(Encoding.UTF8.GetString(body)).IsEqualTo("""
            {
              "kind": "Status",
              "apiVersion": "v1",
              "metadata": {},
              "status": "Failure",
              "message": "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf",
              "reason": "NotAcceptable",
              "code": 406
            }
            """.Replace("\r", "", StringComparison.Ordinal));
    }

    [Test]
    [Arguments("/apis/metrics.k8s.io/v1beta1/nodes", "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io",
        "you requested PartialObjectMetadata, but the requested object is a list (*metrics.NodeMetricsList)")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/nodes/node-1", "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io",
        "you requested PartialObjectMetadataList, but the requested object is not a list (*metrics.NodeMetrics)")]
    public async Task PartialObjectMetadata_WrongShape_Is406WithUpstreamsMessage(string path, string accept, string message)
    {
        var (code, _, body) = await GetAsync(path, accept);

        await Assert.That(code).IsEqualTo(406);
        await Assert.That(Encoding.UTF8.GetString(body)).Contains("\"message\": \"" + message + "\"");
    }

    [Test]
    public async Task Node_PartialObjectMetadataV1_IsTheMetadataOnly()
    {
        var (code, type, body) = await GetAsync("/apis/metrics.k8s.io/v1beta1/nodes/node-1", "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io");

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(type).IsEqualTo("application/json");
        await Assert.That(Encoding.UTF8.GetString(body)).IsEqualTo(
            """{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"node-1","creationTimestamp":"2026-12-01T10:00:05Z","labels":{"flag":"true","kubernetes.io/os":"linux"}}}""" + "\n");
    }

    [Test]
    public async Task NodeList_PartialObjectMetadataListProtobuf_IsTheMetadataList()
    {
        var (code, type, body) = await GetAsync("/apis/metrics.k8s.io/v1/nodes",
            "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1,application/json");

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(type).IsEqualTo("application/vnd.kubernetes.protobuf");
        var (apiVersion, kind, raw, _, _) = ProtoMessage.Envelope(body);
        await Assert.That((apiVersion, kind)).IsEqualTo(("meta.k8s.io/v1beta1", "PartialObjectMetadataList"));
        var items = raw.Messages(2);
        await Assert.That(items.Count).IsEqualTo(1);
        var meta = items[0].Message(1);
        await Assert.That(meta.String(1)).IsEqualTo("node-1");
        await Assert.That(meta.Message(8).Varint(1)).IsEqualTo((ulong)Now.ToUnixTimeSeconds());
        await Assert.That(meta.Map(11, quantityValues: false)).IsEquivalentTo(new[] { "flag=true", "kubernetes.io/os=linux" });
    }

    [Test]
    public async Task MissingNode_ProtobufAccept_IsAProtobufStatus()
    {
        var (code, type, body) = await GetAsync("/apis/metrics.k8s.io/v1beta1/nodes/nope", "application/vnd.kubernetes.protobuf, */*");

        await Assert.That(code).IsEqualTo(404);
        await Assert.That(type).IsEqualTo("application/vnd.kubernetes.protobuf");
        var (apiVersion, kind, raw, _, _) = ProtoMessage.Envelope(body);
        await Assert.That((apiVersion, kind)).IsEqualTo(("v1", "Status"));
        await Assert.That(raw.String(4)).IsEqualTo("NotFound");
        await Assert.That(raw.Varint(6)).IsEqualTo(404UL);
    }

    [Test]
    public async Task MissingNode_YamlAccept_IsAYamlStatus()
    {
        var (code, type, body) = await GetAsync("/apis/metrics.k8s.io/v1beta1/nodes/nope", "application/yaml");

        await Assert.That(code).IsEqualTo(404);
        await Assert.That(type).IsEqualTo("application/yaml");
        await Assert.That(Encoding.UTF8.GetString(body)).IsEqualTo("""
            apiVersion: v1
            code: 404
            details:
              kind: node
              name: nope
            kind: Status
            message: node "nope" not found
            metadata: {}
            reason: NotFound
            status: Failure

            """.Replace("\r", "", StringComparison.Ordinal));
    }

    [Test]
    public async Task NodeList_YamlTableV1beta1_IsTheTableInYaml()
    {
        var (code, type, body) = await GetAsync("/apis/metrics.k8s.io/v1beta1/nodes", "application/yaml;as=Table;v=v1beta1;g=meta.k8s.io");

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(type).IsEqualTo("application/yaml;as=Table;v=v1beta1;g=meta.k8s.io");
        var text = Encoding.UTF8.GetString(body);
        await Assert.That(text).StartsWith("apiVersion: meta.k8s.io/v1beta1\ncolumnDefinitions:\n- description: ");
        await Assert.That(text).Contains("\nkind: Table\n");
    }

    [Test]
    [Arguments("/healthz")]
    [Arguments("/livez")]
    [Arguments("/readyz")]
    [Arguments("/metrics")]
    public async Task NonResourcePaths_AnyAccept_AreServedAsText(string path)
    {
        var (_, type, _) = await GetAsync(path, "text/html");

        await Assert.That(type).StartsWith("text/plain");
    }

    private sealed class OneNodeCluster : IClusterViewSource
    {
        public ClusterView Current => ClusterView.Empty;

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
