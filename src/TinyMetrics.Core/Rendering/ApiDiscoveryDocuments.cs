using System.Buffers;
using System.Text.Json;

namespace TinyMetrics.Rendering;

/// <summary>
/// The metrics.k8s.io discovery documents (/apis, /apis/metrics.k8s.io, /apis/metrics.k8s.io/{version}) as compact UTF-8 JSON, built once.
/// Both versions are served. Group documents list v1beta1 first and prefer it: every kubectl up to 1.33,
/// the HPA and the VPA ask for v1beta1, clients that take the preferred (or first) version keep getting
/// it, and clients that know v1 (GA in Kubernetes 1.37) still find it listed.
/// </summary>
public static class ApiDiscoveryDocuments
{
    /// <summary>Content type of <see cref="AggregatedDiscovery"/> (the request's Accept must name it).</summary>
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    /// <summary>Content type of <see cref="AggregatedDiscoveryV2Beta1"/>.</summary>
    public const string AggregatedContentTypeV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    private static readonly byte[] ResourcesV1Beta1 = ResourceList("metrics.k8s.io/v1beta1");
    private static readonly byte[] ResourcesV1 = ResourceList("metrics.k8s.io/v1");

    /// <summary><c>GET /apis/metrics.k8s.io</c>.</summary>
    public static readonly byte[] ApiGroup = Render(w => WriteGroup(w, "APIGroup", serverAddress: null));

    /// <summary><c>GET /apis</c> with the aggregated discovery v2 Accept header.</summary>
    public static readonly byte[] AggregatedDiscovery = Render(w => WriteAggregated(w, "apidiscovery.k8s.io/v2"));

    /// <summary>The quoted ETag of <see cref="AggregatedDiscovery"/>; an equal If-None-Match gets 304.</summary>
    public static readonly string AggregatedDiscoveryETag = ETagOf(AggregatedDiscovery);

    /// <summary>
    /// <c>GET /apis</c> asking for apidiscovery.k8s.io/v2beta1 first (kube-apiserver 1.26–1.29, or a client listing it
    /// first): the same resources, as that version has the same fields.
    /// </summary>
    public static readonly byte[] AggregatedDiscoveryV2Beta1 = Render(w => WriteAggregated(w, "apidiscovery.k8s.io/v2beta1"));

    /// <summary>The quoted ETag of <see cref="AggregatedDiscoveryV2Beta1"/>.</summary>
    public static readonly string AggregatedDiscoveryV2Beta1ETag = ETagOf(AggregatedDiscoveryV2Beta1);

    /// <summary><c>GET /apis/metrics.k8s.io/{version}</c>: the APIResourceList the aggregator probes.</summary>
    public static byte[] ApiResourceList(ApiVersion version) => version == ApiVersion.V1 ? ResourcesV1 : ResourcesV1Beta1;

    /// <summary><c>GET /apis</c> (legacy APIGroupList); <paramref name="serverAddress"/> is "advertise-ip:secure-port". Cache the result.</summary>
    public static byte[] ApiGroupList(string serverAddress) => Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind"u8, "APIGroupList"u8);
        w.WriteString("apiVersion"u8, "v1"u8);
        w.WriteStartArray("groups"u8);
        WriteGroup(w, kind: null, serverAddress);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static byte[] ResourceList(string groupVersion) => Render(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind"u8, "APIResourceList"u8);
        w.WriteString("apiVersion"u8, "v1"u8);
        w.WriteString("groupVersion"u8, groupVersion);
        w.WriteStartArray("resources"u8);
        WriteResource(w, "nodes", namespaced: false, "NodeMetrics");
        WriteResource(w, "pods", namespaced: true, "PodMetrics");
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteResource(Utf8JsonWriter w, string name, bool namespaced, string kind)
    {
        w.WriteStartObject();
        w.WriteString("name"u8, name);
        w.WriteString("singularName"u8, ""u8);
        w.WriteBoolean("namespaced"u8, namespaced);
        w.WriteString("kind"u8, kind);
        WriteVerbs(w);
        w.WriteEndObject();
    }

    private static void WriteGroup(Utf8JsonWriter w, string? kind, string? serverAddress)
    {
        w.WriteStartObject();
        if (kind is not null)
        {
            w.WriteString("kind"u8, kind);
            w.WriteString("apiVersion"u8, "v1"u8);
        }
        w.WriteString("name"u8, "metrics.k8s.io"u8);
        w.WriteStartArray("versions"u8);
        WriteGroupVersion(w, "v1beta1");
        WriteGroupVersion(w, "v1");
        w.WriteEndArray();
        w.WritePropertyName("preferredVersion"u8);
        WriteGroupVersion(w, "v1beta1");
        if (serverAddress is not null)
        {
            w.WriteStartArray("serverAddressByClientCIDRs"u8);
            w.WriteStartObject();
            w.WriteString("clientCIDR"u8, "0.0.0.0/0"u8);
            w.WriteString("serverAddress"u8, serverAddress);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteGroupVersion(Utf8JsonWriter w, string version)
    {
        w.WriteStartObject();
        w.WriteString("groupVersion"u8, "metrics.k8s.io/" + version);
        w.WriteString("version"u8, version);
        w.WriteEndObject();
    }

    private static void WriteAggregated(Utf8JsonWriter w, string apiVersion)
    {
        w.WriteStartObject();
        w.WriteString("kind"u8, "APIGroupDiscoveryList"u8);
        w.WriteString("apiVersion"u8, apiVersion);
        w.WriteStartObject("metadata"u8);
        w.WriteEndObject();
        w.WriteStartArray("items"u8);
        w.WriteStartObject();
        w.WriteStartObject("metadata"u8);
        w.WriteString("name"u8, "metrics.k8s.io"u8);
        w.WriteEndObject();
        // Versions in preference order: the first is the preferred one.
        w.WriteStartArray("versions"u8);
        WriteAggregatedVersion(w, "v1beta1");
        WriteAggregatedVersion(w, "v1");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAggregatedVersion(Utf8JsonWriter w, string version)
    {
        w.WriteStartObject();
        w.WriteString("version"u8, version);
        w.WriteStartArray("resources"u8);
        WriteAggregatedResource(w, "nodes", "NodeMetrics", "Cluster");
        WriteAggregatedResource(w, "pods", "PodMetrics", "Namespaced");
        w.WriteEndArray();
        w.WriteString("freshness"u8, "Current"u8);
        w.WriteEndObject();
    }

    private static void WriteAggregatedResource(Utf8JsonWriter w, string resource, string kind, string scope)
    {
        w.WriteStartObject();
        w.WriteString("resource"u8, resource);
        w.WriteStartObject("responseKind"u8);
        w.WriteString("group"u8, ""u8);
        w.WriteString("version"u8, ""u8);
        w.WriteString("kind"u8, kind);
        w.WriteEndObject();
        w.WriteString("scope"u8, scope);
        w.WriteString("singularResource"u8, ""u8);
        WriteVerbs(w);
        w.WriteEndObject();
    }

    private static void WriteVerbs(Utf8JsonWriter w)
    {
        w.WriteStartArray("verbs"u8);
        w.WriteStringValue("get"u8);
        w.WriteStringValue("list"u8);
        w.WriteEndArray();
    }

    // The upstream aggregated handler's ETag: the quoted hex SHA-512 of the body.
    private static string ETagOf(byte[] json) => "\"" + Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(json)) + "\"";

    private static byte[] Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonText.Compact))
            write(writer);
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>The served versions of metrics.k8s.io; the objects are identical, only <c>apiVersion</c> differs.</summary>
public enum ApiVersion
{
    V1Beta1,
    V1,
}
