using System.Text.Json;

namespace TinyMetrics.Rendering;

/// <summary>
/// The read-only operations of one metrics.k8s.io version, named as the generic apiserver's installer names them
/// (operationId verb + group + version + kind, "x-kubernetes-action", "x-kubernetes-group-version-kind").
/// </summary>
internal static class OpenApiPaths
{
    private static readonly string[] Produces = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

    private readonly record struct Operation(string Path, string Action, string Kind, bool List, bool Namespaced, bool Named, string IdKind);

    public static void Write(Utf8JsonWriter w, string version, OpenApiDialect dialect, Func<string, string> definition)
    {
        var root = "/apis/metrics.k8s.io/" + version;
        Operation[] operations =
        [
            new(root + "/namespaces/{namespace}/pods", "list", "PodMetrics", List: true, Namespaced: true, Named: false, "NamespacedPodMetrics"),
            new(root + "/namespaces/{namespace}/pods/{name}", "get", "PodMetrics", List: false, Namespaced: true, Named: true, "NamespacedPodMetrics"),
            new(root + "/nodes", "list", "NodeMetrics", List: true, Namespaced: false, Named: false, "NodeMetrics"),
            new(root + "/nodes/{name}", "get", "NodeMetrics", List: false, Namespaced: false, Named: true, "NodeMetrics"),
            new(root + "/pods", "list", "PodMetrics", List: true, Namespaced: false, Named: false, "PodMetricsForAllNamespaces"),
        ];
        var id = "Metrics" + char.ToUpperInvariant(version[0]) + version[1..];
        foreach (var op in operations)
        {
            w.WritePropertyName(op.Path);
            w.WriteStartObject();
            w.WritePropertyName("get"u8);
            WriteGet(w, op, version, (op.List ? "list" : "read") + id + op.IdKind, dialect, definition(op.Kind + (op.List ? "List" : "")));
            w.WriteStartArray("parameters"u8);
            if (op.Named)
                WriteParameter(w, "name", "path", "name of the " + op.Kind, dialect);
            if (op.Namespaced)
                WriteParameter(w, "namespace", "path", "object name and auth scope, such as for teams and projects", dialect);
            WriteParameter(w, "pretty", "query", "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).", dialect);
            if (op.List)
            {
                WriteParameter(w, "fieldSelector", "query", "A selector to restrict the list of returned objects by their fields. Defaults to everything.", dialect);
                WriteParameter(w, "labelSelector", "query", "A selector to restrict the list of returned objects by their labels. Defaults to everything.", dialect);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    private static void WriteGet(Utf8JsonWriter w, Operation op, string version, string operationId, OpenApiDialect dialect, string response)
    {
        w.WriteStartObject();
        w.WriteString("description"u8, (op.List ? "list objects of kind " : "read the specified ") + op.Kind);
        w.WriteString("operationId"u8, operationId);
        w.WriteStartArray("tags"u8);
        w.WriteStringValue("metrics_" + version);
        w.WriteEndArray();
        if (dialect == OpenApiDialect.V2)
        {
            WriteStrings(w, "consumes"u8, ["*/*"]);
            WriteStrings(w, "produces"u8, Produces);
            WriteStrings(w, "schemes"u8, ["https"]);
        }
        w.WriteStartObject("responses"u8);
        w.WriteStartObject("200"u8);
        w.WriteString("description"u8, "OK"u8);
        if (dialect == OpenApiDialect.V2)
        {
            WriteRef(w, "schema"u8, "#/definitions/" + response);
        }
        else
        {
            w.WriteStartObject("content"u8);
            foreach (var type in Produces)
            {
                w.WriteStartObject(type);
                WriteRef(w, "schema"u8, "#/components/schemas/" + response);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("401"u8);
        w.WriteString("description"u8, "Unauthorized"u8);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("x-kubernetes-action"u8, op.Action);
        w.WriteStartObject("x-kubernetes-group-version-kind"u8);
        w.WriteString("group"u8, "metrics.k8s.io"u8);
        w.WriteString("kind"u8, op.Kind);
        w.WriteString("version"u8, version);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteParameter(Utf8JsonWriter w, string name, string location, string description, OpenApiDialect dialect)
    {
        w.WriteStartObject();
        w.WriteString("name"u8, name);
        w.WriteString("in"u8, location);
        w.WriteString("description"u8, description);
        if (location == "path")
            w.WriteBoolean("required"u8, true);
        if (dialect == OpenApiDialect.V2)
        {
            w.WriteString("type"u8, "string"u8);
            w.WriteBoolean("uniqueItems"u8, true);
        }
        else
        {
            w.WriteStartObject("schema"u8);
            w.WriteString("type"u8, "string"u8);
            w.WriteBoolean("uniqueItems"u8, true);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteRef(Utf8JsonWriter w, ReadOnlySpan<byte> name, string target)
    {
        w.WriteStartObject(name);
        w.WriteString("$ref"u8, target);
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, string[] values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }
}
