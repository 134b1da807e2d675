using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// The published OpenAPI against upstream's literal schemas (k8s.io/metrics' and apimachinery's generated OpenAPI
/// definitions, as metrics-server serves them): names, descriptions, required fields, extensions, both dialects.
/// </summary>
public class OpenApiDocumentsTests
{
    private const string Meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private const string Beta = "io.k8s.metrics.pkg.apis.metrics.v1beta1.";
    private const string ObjectMetaDescription = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    private static readonly string[] MetaNames =
    [
        "io.k8s.apimachinery.pkg.api.resource.Quantity", Meta + "Duration", Meta + "FieldsV1", Meta + "ListMeta", Meta + "ManagedFieldsEntry",
        Meta + "ObjectMeta", Meta + "OwnerReference", Meta + "ShardInfo", Meta + "Time",
    ];

    private static readonly string[] MetricsKinds = ["ContainerMetrics", "NodeMetrics", "NodeMetricsList", "PodMetrics", "PodMetricsList"];

    private static JsonElement Parse(OpenApiDocument document) => JsonDocument.Parse(document.Json).RootElement;

    private static List<string> Names(JsonElement map)
    {
        var names = new List<string>();
        foreach (var property in map.EnumerateObject())
            names.Add(property.Name);
        return names;
    }

    [Test]
    public async Task V2_Definitions_AreTheMetaTypesAndBothVersionsKinds()
    {
        var v2 = Parse(OpenApiDocuments.Instance.V2);

        var expected = new List<string>(MetaNames);
        foreach (var kind in MetricsKinds)
            expected.Add("io.k8s.metrics.pkg.apis.metrics.v1." + kind);
        foreach (var kind in MetricsKinds)
            expected.Add(Beta + kind);
        await Assert.That(v2.GetProperty("swagger").GetString()).IsEqualTo("2.0");
        await Assert.That(v2.GetProperty("info").GetRawText()).IsEqualTo("""{"title":"Kubernetes metrics-server","version":"v0.1.0"}""");
        await Assert.That(Names(v2.GetProperty("definitions"))).IsEquivalentTo(expected);
    }

    [Test]
    public async Task V2_NodeMetrics_IsUpstreamsSchema()
    {
        var node = Parse(OpenApiDocuments.Instance.V2).GetProperty("definitions").GetProperty(Beta + "NodeMetrics");
        var properties = node.GetProperty("properties");

        await Assert.That(node.GetProperty("description").GetString()).IsEqualTo("NodeMetrics sets resource usage metrics of a node.");
        await Assert.That(node.GetProperty("required").GetRawText()).IsEqualTo("""["timestamp","window","usage"]""");
        await Assert.That(Names(properties)).IsEquivalentTo(["kind", "apiVersion", "metadata", "timestamp", "window", "usage"]);
        await Assert.That(properties.GetProperty("metadata").GetRawText()).IsEqualTo(
            """{"$ref":"#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta","description":""" + "\"" + ObjectMetaDescription + "\"}");
        await Assert.That(properties.GetProperty("window").GetRawText()).IsEqualTo("""{"$ref":"#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Duration"}""");
        await Assert.That(properties.GetProperty("usage").GetRawText()).IsEqualTo(
            """{"description":"The memory usage is the memory working set.","type":"object","additionalProperties":{"$ref":"#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"}}""");
        await Assert.That(node.GetProperty("x-kubernetes-group-version-kind").GetRawText()).IsEqualTo(
            """[{"group":"metrics.k8s.io","kind":"NodeMetrics","version":"v1beta1"}]""");
    }

    [Test]
    public async Task V2_PodMetricsAndContainers_AreUpstreamsSchemas()
    {
        var definitions = Parse(OpenApiDocuments.Instance.V2).GetProperty("definitions");
        var pod = definitions.GetProperty("io.k8s.metrics.pkg.apis.metrics.v1.PodMetrics");
        var container = definitions.GetProperty(Beta + "ContainerMetrics");

        await Assert.That(pod.GetProperty("required").GetRawText()).IsEqualTo("""["timestamp","window","containers"]""");
        await Assert.That(pod.GetProperty("properties").GetProperty("containers").GetRawText()).IsEqualTo(
            """{"description":"Metrics for all containers are collected within the same time window.","type":"array","items":{"$ref":"#/definitions/io.k8s.metrics.pkg.apis.metrics.v1.ContainerMetrics"},"x-kubernetes-list-type":"atomic"}""");
        await Assert.That(pod.GetProperty("x-kubernetes-group-version-kind").GetRawText()).IsEqualTo(
            """[{"group":"metrics.k8s.io","kind":"PodMetrics","version":"v1"}]""");
        await Assert.That(container.GetProperty("required").GetRawText()).IsEqualTo("""["name","usage"]""");
        await Assert.That(container.GetProperty("properties").GetProperty("name").GetRawText()).IsEqualTo(
            """{"description":"Container name corresponding to the one from pod.spec.containers.","type":"string"}""");
        await Assert.That(container.TryGetProperty("x-kubernetes-group-version-kind", out _)).IsFalse();
    }

    [Test]
    public async Task V2_MetaTypes_AreApimachinerysSchemas()
    {
        var definitions = Parse(OpenApiDocuments.Instance.V2).GetProperty("definitions");

        await Assert.That(definitions.GetProperty(Meta + "Time").GetRawText()).IsEqualTo(
            """{"description":"Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.","type":"string","format":"date-time"}""");
        await Assert.That(definitions.GetProperty(Meta + "Duration").GetRawText()).IsEqualTo(
            """{"description":"Duration is a wrapper around time.Duration which supports correct marshaling to YAML and JSON. In particular, it marshals into strings, which can be used as map keys in json.","type":"string"}""");
        var quantity = definitions.GetProperty("io.k8s.apimachinery.pkg.api.resource.Quantity");
        await Assert.That(quantity.GetProperty("type").GetString()).IsEqualTo("string");
        await Assert.That(quantity.GetProperty("description").GetString()).StartsWith("Quantity is a fixed-point representation of a number.");
        var meta = definitions.GetProperty(Meta + "ObjectMeta").GetProperty("properties");
        await Assert.That(meta.GetProperty("creationTimestamp").GetProperty("$ref").GetString()).IsEqualTo("#/definitions/" + Meta + "Time");
        await Assert.That(meta.GetProperty("ownerReferences").GetProperty("x-kubernetes-list-map-keys").GetRawText()).IsEqualTo("""["uid"]""");
        await Assert.That(meta.GetProperty("labels").GetProperty("additionalProperties").GetRawText()).IsEqualTo("""{"type":"string"}""");
    }

    [Test]
    [Arguments("/apis/metrics.k8s.io/v1beta1/nodes", "listMetricsV1beta1NodeMetrics", "list", "NodeMetricsList")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/nodes/{name}", "readMetricsV1beta1NodeMetrics", "get", "NodeMetrics")]
    [Arguments("/apis/metrics.k8s.io/v1beta1/pods", "listMetricsV1beta1PodMetricsForAllNamespaces", "list", "PodMetricsList")]
    [Arguments("/apis/metrics.k8s.io/v1/namespaces/{namespace}/pods", "listMetricsV1NamespacedPodMetrics", "list", "PodMetricsList")]
    [Arguments("/apis/metrics.k8s.io/v1/namespaces/{namespace}/pods/{name}", "readMetricsV1NamespacedPodMetrics", "get", "PodMetrics")]
    public async Task V2_Paths_NameOperationsAsTheInstaller(string path, string operationId, string action, string response)
    {
        var get = Parse(OpenApiDocuments.Instance.V2).GetProperty("paths").GetProperty(path).GetProperty("get");
        var version = path.Split('/')[3];

        await Assert.That(get.GetProperty("operationId").GetString()).IsEqualTo(operationId);
        await Assert.That(get.GetProperty("x-kubernetes-action").GetString()).IsEqualTo(action);
        await Assert.That(get.GetProperty("responses").GetProperty("200").GetProperty("schema").GetProperty("$ref").GetString())
            .IsEqualTo("#/definitions/io.k8s.metrics.pkg.apis.metrics." + version + "." + response);
        await Assert.That(get.GetProperty("x-kubernetes-group-version-kind").GetProperty("version").GetString()).IsEqualTo(version);
    }

    [Test]
    public async Task V3_V1Beta1_HoldsOnlyItsVersionInV3Form()
    {
        var v3 = Parse(OpenApiDocuments.Instance.V3(ApiVersion.V1Beta1));
        var schemas = v3.GetProperty("components").GetProperty("schemas");
        var node = schemas.GetProperty(Beta + "NodeMetrics").GetProperty("properties");

        var expected = new List<string>(MetaNames);
        foreach (var kind in MetricsKinds)
            expected.Add(Beta + kind);
        await Assert.That(v3.GetProperty("openapi").GetString()).IsEqualTo("3.0.0");
        await Assert.That(Names(schemas)).IsEquivalentTo(expected);
        await Assert.That(node.GetProperty("metadata").GetRawText()).IsEqualTo(
            """{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}],"description":""" + "\"" + ObjectMetaDescription + "\",\"default\":{}}");
        await Assert.That(node.GetProperty("window").GetRawText()).IsEqualTo("""{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Duration"}""");
        await Assert.That(schemas.GetProperty("io.k8s.apimachinery.pkg.api.resource.Quantity").GetProperty("oneOf").GetRawText())
            .IsEqualTo("""[{"type":"string"},{"type":"number"}]""");
        await Assert.That(Names(v3.GetProperty("paths"))).Contains("/apis/metrics.k8s.io/v1beta1/nodes");
        await Assert.That(Names(v3.GetProperty("paths"))).DoesNotContain("/apis/metrics.k8s.io/v1/nodes");
    }

    [Test]
    public async Task V3Index_ServerRelativeUrls_CarryEachDocumentsSha512()
    {
        var beta = Convert.ToHexString(SHA512.HashData(OpenApiDocuments.Instance.V3(ApiVersion.V1Beta1).Json));
        var v1 = Convert.ToHexString(SHA512.HashData(OpenApiDocuments.Instance.V3(ApiVersion.V1).Json));

        await Assert.That(Encoding.UTF8.GetString(OpenApiDocuments.Instance.V3Index.Json)).IsEqualTo(
            "{\"paths\":{\"apis/metrics.k8s.io/v1\":{\"serverRelativeURL\":\"/openapi/v3/apis/metrics.k8s.io/v1?hash=" + v1 + "\"}," +
            "\"apis/metrics.k8s.io/v1beta1\":{\"serverRelativeURL\":\"/openapi/v3/apis/metrics.k8s.io/v1beta1?hash=" + beta + "\"}}}");
        await Assert.That(OpenApiDocuments.Instance.V3(ApiVersion.V1).ETag).IsEqualTo("\"" + v1 + "\"");
        await Assert.That(beta).IsNotEqualTo(v1);
    }

    [Test]
    public async Task AllDocuments_EveryReference_ResolvesToADefinition()
    {
        var v2 = Parse(OpenApiDocuments.Instance.V2);
        var v3 = Parse(OpenApiDocuments.Instance.V3(ApiVersion.V1));
        var unresolved = new List<string>();

        Collect(v2, "#/definitions/", v2.GetProperty("definitions"), unresolved);
        Collect(v3, "#/components/schemas/", v3.GetProperty("components").GetProperty("schemas"), unresolved);

        await Assert.That(unresolved).IsEmpty();
    }

    private static void Collect(JsonElement element, string prefix, JsonElement definitions, List<string> unresolved)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                Collect(item, prefix, definitions, unresolved);
        }
        if (element.ValueKind != JsonValueKind.Object)
            return;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "$ref")
            {
                var target = property.Value.GetString()!;
                if (!target.StartsWith(prefix, StringComparison.Ordinal) || !definitions.TryGetProperty(target[prefix.Length..], out _))
                    unresolved.Add(target);
            }
            else
            {
                Collect(property.Value, prefix, definitions, unresolved);
            }
        }
    }
}
