using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using TinyMetrics.Configuration;

namespace TinyMetrics.Rendering;

/// <summary>
/// The OpenAPI documents, built once: /openapi/v2 (every served kind of both versions), the /openapi/v3 index, and
/// one OpenAPI 3.0 document per group-version. Each has the ETag kube-openapi gives it (the quoted upper-case hex
/// SHA-512 of the bytes); the index's serverRelativeURL carries that hash, so a client can cache a document forever.
/// </summary>
public sealed class OpenApiDocuments
{
    private const string Title = "Kubernetes metrics-server";
    private const string MetricsPrefix = "io.k8s.metrics.pkg.apis.metrics.";

    private static readonly string[] Kinds = ["NodeMetrics", "NodeMetricsList", "PodMetrics", "PodMetricsList"];

    private OpenApiDocuments(OpenApiDocument v2, OpenApiDocument v1Beta1, OpenApiDocument v1, OpenApiDocument index)
    {
        V2 = v2;
        V3V1Beta1 = v1Beta1;
        V3V1 = v1;
        V3Index = index;
    }

    /// <summary>The documents of this build; created on first use.</summary>
    public static OpenApiDocuments Instance { get; } = Build();

    public OpenApiDocument V2 { get; }

    public OpenApiDocument V3V1Beta1 { get; }

    public OpenApiDocument V3V1 { get; }

    /// <summary>/openapi/v3: {"paths":{"apis/metrics.k8s.io/v1":{"serverRelativeURL":...},...}}.</summary>
    public OpenApiDocument V3Index { get; }

    public OpenApiDocument V3(ApiVersion version) => version == ApiVersion.V1 ? V3V1 : V3V1Beta1;

    private static OpenApiDocuments Build()
    {
        using var meta = JsonDocument.Parse(OpenApiMetaSchemas.Json);
        using var v1Beta1 = JsonDocument.Parse(OpenApiMetricsSchemas.Json);
        using var v1 = JsonDocument.Parse(OpenApiMetricsSchemas.Json.Replace(MetricsPrefix + "v1beta1.", MetricsPrefix + "v1.", StringComparison.Ordinal));
        var v2 = OpenApiDocument.Of(Render(w => WriteDocument(w, OpenApiDialect.V2, meta, [("v1beta1", v1Beta1), ("v1", v1)])));
        var v3V1Beta1 = OpenApiDocument.Of(Render(w => WriteDocument(w, OpenApiDialect.V3, meta, [("v1beta1", v1Beta1)])));
        var v3V1 = OpenApiDocument.Of(Render(w => WriteDocument(w, OpenApiDialect.V3, meta, [("v1", v1)])));
        var index = OpenApiDocument.Of(Render(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("paths"u8);
            WriteIndexEntry(w, "apis/metrics.k8s.io/v1", v3V1);
            WriteIndexEntry(w, "apis/metrics.k8s.io/v1beta1", v3V1Beta1);
            w.WriteEndObject();
            w.WriteEndObject();
        }));
        return new OpenApiDocuments(v2, v3V1Beta1, v3V1, index);
    }

    private static void WriteIndexEntry(Utf8JsonWriter w, string groupVersion, OpenApiDocument document)
    {
        w.WriteStartObject(groupVersion);
        w.WriteString("serverRelativeURL"u8, "/openapi/v3/" + groupVersion + "?hash=" + document.Hash);
        w.WriteEndObject();
    }

    private static void WriteDocument(Utf8JsonWriter w, OpenApiDialect dialect, JsonDocument meta, (string Version, JsonDocument Schemas)[] versions)
    {
        w.WriteStartObject();
        if (dialect == OpenApiDialect.V2)
            w.WriteString("swagger"u8, "2.0"u8);
        else
            w.WriteString("openapi"u8, "3.0.0"u8);
        w.WriteStartObject("info"u8);
        w.WriteString("title"u8, Title);
        w.WriteString("version"u8, BuildInfo.Version);
        w.WriteEndObject();
        w.WriteStartObject("paths"u8);
        foreach (var (version, _) in versions)
            OpenApiPaths.Write(w, version, dialect, kind => MetricsPrefix + version + "." + kind);
        w.WriteEndObject();
        if (dialect == OpenApiDialect.V3)
            w.WriteStartObject("components"u8);
        w.WriteStartObject(dialect == OpenApiDialect.V2 ? "definitions"u8 : "schemas"u8);
        WriteDefinitions(w, dialect, meta, versions);
        w.WriteEndObject();
        if (dialect == OpenApiDialect.V3)
            w.WriteEndObject();
        w.WriteEndObject();
    }

    // Sorted by name, as Go writes a map.
    private static void WriteDefinitions(Utf8JsonWriter w, OpenApiDialect dialect, JsonDocument meta, (string Version, JsonDocument Schemas)[] versions)
    {
        var all = new SortedDictionary<string, (JsonElement Schema, string? Version)>(StringComparer.Ordinal);
        foreach (var definition in meta.RootElement.EnumerateObject())
            all.Add(definition.Name, (definition.Value, null));
        foreach (var (version, schemas) in versions)
        {
            foreach (var definition in schemas.RootElement.EnumerateObject())
                all.Add(definition.Name, (definition.Value, version));
        }
        foreach (var (name, (schema, version)) in all)
        {
            var kind = version is null ? null : name[(name.LastIndexOf('.') + 1)..];
            var served = kind is not null && Array.IndexOf(Kinds, kind) >= 0;
            OpenApiSchemaWriter.WriteDefinition(w, name, schema, dialect,
                served ? "metrics.k8s.io" : null, served ? version : null, served ? kind : null);
        }
    }

    private static byte[] Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonText.Compact))
            write(writer);
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>One served document: its bytes and validators.</summary>
public sealed class OpenApiDocument
{
    private OpenApiDocument(byte[] json, string hash)
    {
        Json = json;
        Hash = hash;
        ETag = "\"" + hash + "\"";
    }

    public byte[] Json { get; }

    /// <summary>Upper-case hex SHA-512 of <see cref="Json"/>: the ?hash= of the v3 index.</summary>
    public string Hash { get; }

    /// <summary>The quoted <see cref="Hash"/>, sent as ETag and matched against If-None-Match.</summary>
    public string ETag { get; }

    internal static OpenApiDocument Of(byte[] json) => new(json, Convert.ToHexString(SHA512.HashData(json)));
}
