using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using TinyMetrics.Storage;

namespace TinyMetrics.Api;

/// <summary>
/// The Table rendering (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>) of upstream's
/// <c>pkg/api/table.go</c>: Name, one quantity column per usage resource (cpu, memory), Window; pod rows
/// sum their containers. Columns come from the first item with usage, so rows before it, and every row
/// when no item has usage, hold only name and window, as upstream's do. An empty list gives null
/// columnDefinitions and rows.
/// </summary>
public static class MetricsTable
{
    public static bool TryParseIncludeObject(string? text, out TableIncludeObject include, [NotNullWhen(false)] out string? error)
    {
        error = null;
        include = text switch
        {
            null or "" or "Metadata" => TableIncludeObject.Metadata,
            "Object" => TableIncludeObject.Object,
            "None" => TableIncludeObject.None,
            _ => (TableIncludeObject)(-1),
        };
        if ((int)include >= 0)
            return true;
        error = $"unrecognized includeObject value: \"{text}\"";
        return false;
    }

    /// <param name="metaV1Beta1">true when the client asked for the meta.k8s.io/v1beta1 Table.</param>
    public static void WriteNodes(
        Utf8JsonWriter writer, ReadOnlySpan<NodeMetricsValue> nodes, ApiVersion version, long nowUnixNs,
        TableIncludeObject include = TableIncludeObject.Metadata, bool metaV1Beta1 = false,
        LabelSelector? labels = null, FieldSelector? fields = null)
    {
        var context = new TableRowWriter(writer, version, nowUnixNs, include, metaV1Beta1);
        var rows = 0;
        foreach (var node in nodes)
        {
            if ((labels is null || labels.Matches(node.Labels)) && (fields is null || fields.Matches(node.Name, null)))
                {
                context.WriteNodeRow(node);
                rows++;
            }
        }
        context.Finish(rows);
    }

    public static void WritePods(
        Utf8JsonWriter writer, ReadOnlySpan<PodMetricsValue> pods, ApiVersion version, long nowUnixNs,
        TableIncludeObject include = TableIncludeObject.Metadata, bool metaV1Beta1 = false,
        LabelSelector? labels = null, FieldSelector? fields = null)
    {
        var context = new TableRowWriter(writer, version, nowUnixNs, include, metaV1Beta1);
        var rows = 0;
        foreach (var pod in pods)
        {
            if ((labels is null || labels.Matches(pod.Labels)) && (fields is null || fields.Matches(pod.Name, pod.Namespace)))
                {
                context.WritePodRow(pod);
                rows++;
            }
        }
        context.Finish(rows);
    }
}
